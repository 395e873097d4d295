using Akka.Actor;
using NasActors.Core.Randomness;
using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using static NasActors.Engine.Searches.SearchProtocol;
using static NasActors.Engine.Simulation.SimulationProtocol;

namespace NasActors.Engine.Simulation;

/// <summary>
/// Drives one replayed search on a <see cref="VirtualClock"/>: a real, persistent
/// <see cref="SearchCoordinator"/> (whose clock is the virtual one and whose lease checks come from
/// here, after every advance) and <see cref="ReplaySettings.Workers"/> <see cref="SimulatedTrainer"/>s.
/// The clock advances to the next wake-up only when every trainer is sleeping, idle after NoWorkYet,
/// or done, so no result depends on wall time. The run ends when the next wake-up lies past the
/// budget, when every trainer is done (trial budget), or when nothing can happen any more; then the
/// coordinator's ledger is read back and the result completes the task given at creation.
/// Deaths (<see cref="ReplaySettings.KillRate"/>): the trainer is stopped mid-trial, a replacement
/// joins at once, and lease checks follow until the lease has expired and the trial is re-issued.
/// </summary>
public sealed class ReplayRun : ReceiveActor
{
    private readonly SearchId _searchId;
    private readonly SearchSpecData _spec;
    private readonly SearchDefinition _definition;
    private readonly ITrialEvaluator _evaluator;
    private readonly ReplaySettings _settings;
    private readonly TaskCompletionSource<ReplayResult> _completion;
    private readonly VirtualClock _clock = new();
    private readonly SeededRandom _deaths;
    private readonly Dictionary<string, TrainerSlot> _trainers = new(StringComparer.Ordinal);
    private readonly Dictionary<int, double> _completedAt = new();
    private readonly HashSet<int> _orphans = [];
    private IActorRef _coordinator = ActorRefs.Nobody;
    private int _busy;
    // Idle trainers by the order they were added in (the order a scan of the trainer table used to find them), so the
    // next one to poll is found in O(log n) rather than by scanning every trainer.
    private readonly SortedSet<(int Ordinal, string Id)> _idle = [];
    private int _done;
    private string? _poller;
    private bool _pollAgain;
    private double _leasesCheckedAt = double.NegativeInfinity;
    private int _nextTrainer;
    private int _deathCount;
    private int _idlePolls;
    private int _leaseChecks;
    private bool _leaseCheckScheduled;
    private string? _endReason;

    public ReplayRun(SearchId searchId, SearchSpecData spec, SearchDefinition definition, ITrialEvaluator evaluator,
        ReplaySettings settings, TaskCompletionSource<ReplayResult> completion)
    {
        (_searchId, _spec, _definition, _evaluator, _settings, _completion) = (searchId, spec, definition, evaluator, settings, completion);
        _deaths = new SeededRandom(settings.Seed ^ (long)Genotype64(searchId.Value));
        Receive<SearchStatus>(_ => StartTrainers());
    }

    public static Props Props(SearchId searchId, SearchSpecData spec, SearchDefinition definition, ITrialEvaluator evaluator,
        ReplaySettings settings, TaskCompletionSource<ReplayResult> completion) =>
        Akka.Actor.Props.Create(() => new ReplayRun(searchId, spec, definition, evaluator, settings, completion));

    /// <summary>The run's clock (tests read it; only this actor advances it).</summary>
    public VirtualClock Clock => _clock;

    protected override void PreStart()
    {
        _coordinator = Context.ActorOf(SearchCoordinator.Props(_searchId.Value, SearchClock.Virtual(() => _clock.Now), leaseCheckInterval: TimeSpan.Zero), "coordinator");
        _coordinator.Tell(new StartSearch(_searchId, _spec.SpecJson, _spec.Features, _spec.Classes));
    }

    protected override void PostStop()
    {
        // Stopped from outside (the system shutting down) before finishing: never leave the caller waiting.
        _completion.TrySetCanceled();
    }

    private void StartTrainers()
    {
        Become(Running);
        for (var i = 0; i < _settings.Workers; i++) AddTrainer();
    }

    private void Running()
    {
        Receive<TrainerSleeps>(OnSleeps);
        Receive<TrainerIdle>(idle =>
        {
            Settle(idle.TrainerId, TrainerState.Idle);
            if (PollAnswered(idle.TrainerId) && _pollAgain) PollIdle(); // something changed while it asked: ask again
            Advance();
        });
        Receive<TrainerDone>(done =>
        {
            Settle(done.TrainerId, TrainerState.Done);
            if (PollAnswered(done.TrainerId)) PollIdle(); // the search is over for the others too: let each hear it
            Advance();
        });
        Receive<TrialAccepted>(accepted =>
        {
            _completedAt.TryAdd(accepted.TrialId, _clock.Seconds);
            _orphans.Remove(accepted.TrialId);
            PollIdle(); // a result can unblock a strategy that was waiting on stragglers
        });
        Receive<LeasesChecked>(check =>
        {
            _busy--;
            if (check.Expired > 0) PollIdle(); // a re-queued trial is waiting for a trainer
            Advance();
        });
        Receive<SearchStatus>(_ => { });
    }

    private void AddTrainer()
    {
        var ordinal = _nextTrainer++;
        var id = $"sim-{ordinal}";
        var trainer = Context.ActorOf(SimulatedTrainer.Props(_searchId, id, _coordinator, Self, _clock, _definition.Space, _evaluator), id);
        _trainers[id] = new TrainerSlot(trainer, ordinal, id);
        _busy++;
    }

    private void OnSleeps(TrainerSleeps sleeps)
    {
        if (!_trainers.TryGetValue(sleeps.TrainerId, out var slot)) return;
        Settle(sleeps.TrainerId, TrainerState.Sleeping);
        if (PollAnswered(sleeps.TrainerId)) PollIdle(); // it got work: there may be more for the next idle trainer
        _orphans.Remove(sleeps.TrialId);
        if (slot.TrialId != sleeps.TrialId)
        {
            slot.TrialId = sleeps.TrialId;
            slot.DiesAt = _settings.KillRate > 0 && _deaths.NextDouble() < _settings.KillRate
                ? _clock.Seconds + _deaths.NextDouble() * (sleeps.TrialEnds - _clock.Seconds)
                : double.PositiveInfinity;
        }
        _clock.Schedule(Math.Min(sleeps.Until, slot.DiesAt),
            slot.DiesAt <= sleeps.Until ? new Die(sleeps.TrainerId) : new WakeTrainer(sleeps.TrainerId), sleeps.TrialId);
        Advance();
    }

    private void Settle(string trainerId, TrainerState state)
    {
        if (!_trainers.TryGetValue(trainerId, out var slot) || slot.State != TrainerState.Busy) return;
        slot.State = state;
        _busy--;
        if (state == TrainerState.Idle) _idle.Add((slot.Ordinal, trainerId));
        if (state == TrainerState.Done) _done++;
    }

    private void Rouse(TrainerSlot slot, object message)
    {
        if (slot.State == TrainerState.Idle) _idle.Remove((slot.Ordinal, slot.Id));
        slot.State = TrainerState.Busy;
        _busy++;
        slot.Actor.Tell(message);
    }

    /// <summary>
    /// Lets idle trainers ask for work again, one at a time: the first idle trainer asks; if it gets work (or hears the
    /// search is over) the next one asks, and the chain stops at the first "no work yet", since the others would hear
    /// the same (the coordinator's answer does not depend on who asks). Polling them all at once cost one round trip
    /// per idle trainer per accepted result: quadratic in a search's last round, where every finished trainer waits.
    /// </summary>
    private void PollIdle()
    {
        if (_poller is not null)
        {
            _pollAgain = true;
            return;
        }
        _pollAgain = false;
        if (_idle.Count == 0) return;
        var first = _idle.Min;
        _poller = first.Id;
        _idlePolls++;
        Rouse(_trainers[first.Id], Poll.Instance);
    }

    /// <summary>Whether this trainer was the one asking for the idle ones (the chain is then free to go on or stop).</summary>
    private bool PollAnswered(string trainerId)
    {
        if (_poller != trainerId) return false;
        _poller = null;
        return true;
    }

    /// <summary>Moves simulated time on while every trainer waits, handling wake-ups until one makes a trainer busy.</summary>
    private void Advance()
    {
        while (_busy == 0 && _endReason is null)
        {
            if (_done == _trainers.Count)
            {
                End("every trainer is done");
                return;
            }
            if (_clock.NextAt is not { } next)
            {
                End("nothing left to wait for");
                return;
            }
            if (_settings.BudgetSeconds is { } budget && next > budget)
            {
                End($"budget of {budget:0.#} simulated seconds reached");
                return;
            }
            var wakeUp = _clock.AdvanceToNext()!;
            // The coordinator counts as busy until it has expired what is overdue at the new time: heartbeats
            // are one-way, so this answer is what keeps the driver from running ahead of the coordinator.
            // Wake-ups at the instant already checked need no second check (nothing can have expired since).
            if (_clock.Seconds > _leasesCheckedAt)
            {
                _leasesCheckedAt = _clock.Seconds;
                _leaseChecks++;
                _coordinator.Tell(new CheckLeases(_searchId, Acknowledge: true));
                _busy++;
            }
            switch (wakeUp.Payload)
            {
                case WakeTrainer w when _trainers.TryGetValue(w.TrainerId, out var slot) && slot.State == TrainerState.Sleeping:
                    Rouse(slot, SimulationProtocol.Wake.Instance);
                    break;
                case Die d when _trainers.Remove(d.TrainerId, out var dead):
                    Context.Stop(dead.Actor);
                    _deathCount++;
                    _orphans.Add(dead.TrialId);
                    ScheduleLeaseCheck(_clock.Seconds + _definition.Spec.Execution.LeaseSeconds);
                    AddTrainer();
                    break;
                case LeaseCheck:
                    // The check itself went out above; idle trainers are polled when it reports an expiry.
                    // Should the orphan's lease still run (it cannot: its last heartbeat was before the death), look again later.
                    _leaseCheckScheduled = false;
                    if (_orphans.Count > 0) ScheduleLeaseCheck(_clock.Seconds + _definition.Spec.Execution.LeaseSeconds / 3);
                    break;
            }
        }
    }

    private void ScheduleLeaseCheck(double at)
    {
        if (_leaseCheckScheduled) return;
        _leaseCheckScheduled = true;
        _clock.Schedule(at, new LeaseCheck(), long.MaxValue);
    }

    private void End(string reason)
    {
        _endReason = reason;
        Become(Ending);
        _coordinator.Tell(new GetStatus(_searchId, IncludeTrials: true));
    }

    private void Ending()
    {
        Receive<SearchStatus>(status =>
        {
            var trials = status.Trials!
                .Where(t => t.State == TrialState.Completed && _completedAt.ContainsKey(t.TrialId))
                .Select(t => new ReplayTrial(t.TrialId, t.Architecture, t.Metrics!.ValidationAccuracy, t.Metrics.Seconds, _completedAt[t.TrialId], t.Leases) { Metrics = t.Metrics })
                .OrderBy(t => t.CompletedAt).ThenBy(t => t.TrialId)
                .ToArray();
            var best = status.Best is { } b ? trials.FirstOrDefault(t => t.TrialId == b.TrialId) : null;
            _completion.TrySetResult(new ReplayResult(
                _searchId, status.Phase, trials, best, status.Failed, _deathCount,
                status.Trials!.Sum(t => Math.Max(0, t.Leases - 1)),
                _clock.Seconds, $"{_endReason}; {status.Message}".TrimEnd(' ', ';'))
            {
                IdlePolls = _idlePolls,
                LeaseChecks = _leaseChecks
            });
            Context.Stop(Self);
        });
        ReceiveAny(_ => { });
    }

    private static ulong Genotype64(string text) => Core.Spaces.Genotype.StableHash(text);

    private enum TrainerState { Busy, Sleeping, Idle, Done }

    private sealed class TrainerSlot(IActorRef actor, int ordinal, string id)
    {
        public IActorRef Actor { get; } = actor;
        public int Ordinal { get; } = ordinal;
        public string Id { get; } = id;
        public TrainerState State { get; set; } = TrainerState.Busy;
        public int TrialId { get; set; }
        public double DiesAt { get; set; } = double.PositiveInfinity;
    }

    private sealed record WakeTrainer(string TrainerId);

    private sealed record Die(string TrainerId);

    private sealed record LeaseCheck;
}
