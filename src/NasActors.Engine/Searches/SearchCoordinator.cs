using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using NasActors.Core.Strategies.Supernet;
using NasActors.Core.Trials;
using NasActors.Engine.Entities;
using NasActors.Engine.Searches.Index;
using NasActors.Engine.Searches.Remote;
using NasActors.Engine.Supernets;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Engine.Searches;

/// <summary>
/// Persistent, sharded entity (one per search): owns the spec, the trial ledger, the strategy
/// and the leases. Thin on purpose: decisions and state live in <see cref="SearchState"/>.
/// <para>
/// Throughput without giving up durability: events are applied to the state as soon as they are
/// decided and written with <c>PersistAllAsync</c>, so the next command is handled while the
/// journal is still writing (the SQL journal batches those writes). Every reply waits for the
/// writes before it, so nobody hears "accepted" for anything that is not in the journal. If a write is
/// rejected or fails, the state in memory is ahead of the journal: the actor throws, its supervisor (the
/// shard) restarts it, and recovery rebuilds the state from what was written; replies still waiting for
/// that write are never sent, so their callers retry.
/// </para>
/// </summary>
public sealed class SearchCoordinator : ReceivePersistentActor, IWithTimers
{
    public const string PersistencePrefix = "search";
    private static readonly TimeSpan DefaultLeaseCheckInterval = TimeSpan.FromSeconds(1);
    private readonly TimeSpan _leaseCheckInterval;
    private readonly SearchState _state;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly EntityRegions? _regions;
    private readonly TrainerNodes _trainerNodes = TrainerNodes.For(Context.System);
    private readonly LeaseAhead _leaseAhead = new();
    private int _eventsSinceSnapshot;
    private int _writesInFlight;
    private bool _draining;
    private IActorRef? _supernetPhases;
    private bool _buildingSupernet;
    private int _supernetRuns;

    /// <param name="clock">wall time and the monotonic time leases are measured in (the machine's by default; a replay passes its virtual clock)</param>
    /// <param name="leaseCheckInterval">
    /// how often (wall time) the coordinator checks its leases itself; <see cref="TimeSpan.Zero"/> turns the timer off
    /// for callers that send <see cref="CheckLeases"/> themselves (a replay, after each advance of its clock)
    /// </param>
    /// <param name="regions">the strategy entities' regions and the search index (a node gives them; unit tests may not)</param>
    public SearchCoordinator(string searchId, SearchClock? clock = null, TimeSpan? leaseCheckInterval = null, EntityRegions? regions = null)
    {
        _regions = regions;
        _leaseCheckInterval = leaseCheckInterval ?? DefaultLeaseCheckInterval;
        _state = new SearchState(new SearchId(searchId), clock ?? SearchClock.System);
        PersistenceId = $"{PersistencePrefix}-{searchId}";

        Recover<SnapshotOffer>(offer => _state.Restore((SearchSnapshot)offer.Snapshot));
        Recover<ISearchEvent>(_state.Apply);
        Recover<RecoveryCompleted>(_ => Awake());
        Active();
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string searchId, SearchClock? clock = null, TimeSpan? leaseCheckInterval = null, EntityRegions? regions = null) =>
        Akka.Actor.Props.Create(() => new SearchCoordinator(searchId, clock, leaseCheckInterval, regions));

    protected override void PreStart()
    {
        base.PreStart();
        if (_leaseCheckInterval > TimeSpan.Zero)
            Timers.StartPeriodicTimer("leases", new CheckLeases(_state.SearchId), _leaseCheckInterval);
        if (_trainerNodes.InCluster) Context.ActorOf(TrainerNodeWatch.Props(Self), "trainer-nodes");
    }

    protected override bool AroundReceive(Receive receive, object message)
    {
        _trainerNodes.Saw(message, Sender);
        return base.AroundReceive(receive, message);
    }

    private void Active()
    {
        Command<StartSearch>(start =>
        {
            var sender = Sender;
            var events = _state.DecideStart(new SearchSpecData(start.SpecJson, start.Features, start.Classes));
            Record(events, () =>
            {
                if (events.Count > 0) Awake();
                sender.Tell(_state.ToStatus(false));
            });
        });
        // Strategy entities (execution.entities): proposals in, acknowledgements of outcomes in.
        Command<ProposalsOffered>(offer =>
        {
            _state.Remote?.Answered();
            Record(_state.DecideOffered(offer.Owner, offer.Proposals), Flush);
        });
        Command<PicksOffered>(picks =>
        {
            if (_state.Remote is not ManasStrategy manas) return;
            manas.Answered();
            Record(_state.DecideOffered(ManasStrategy.Owner, manas.Gather(picks.Agent, picks.Picks)), Flush);
        });
        Command<OutcomesAcknowledged>(ack => _state.Remote?.Acknowledge(ack.Owner, ack.Tickets));
        Command<RequestWork>(request =>
        {
            if (SupernetRoundsOpen(request) is { } open)
            {
                Sender.Tell(open);
                return;
            }
            var sender = Sender;
            // A trainer that asks while holding leases lost the answer that gave them: it hears the same leases again.
            if (_state.Phase == SearchPhase.Running && _state.HeldBy(request.TrainerId).Count > 0)
            {
                var held = _state.HeldBy(request.TrainerId).ToArray();
                AfterWrites(() => sender.Tell(LeasesReply(held, request.IncludeSpec, batch: 0, accepted: [])));
                return;
            }
            Write(DecideWork(request.TrainerId, request.IncludeSpec, 1 + Depth(), out var reply), () =>
            {
                sender.Tell(reply());
                Flush();
            });
        });
        Command<Heartbeat>(beat =>
        {
            if (!_state.Heartbeat(beat.TrainerId, beat.TrialId, beat.LeaseEpoch, beat.Progress))
                Sender.Tell(new LeaseLost(_state.SearchId, beat.TrialId, beat.LeaseEpoch, Expired: _state.Phase == SearchPhase.Running && _trainerNodes.Serves(Sender)));
        });
        // A trainer node left the cluster: its trainers' leases are revoked now instead of expiring (TrainerNodes).
        Command<TrainerNodeWatch.NodeLeft>(left =>
        {
            var revoked = _trainerNodes.DecideLeft(_state, left);
            if (revoked.Count > 0) _log.Info("search {0}: trainer node {1} {2}: its leases are revoked ({3})", _state.SearchId, left.Node, left.How, string.Join(", ", revoked));
            Record(revoked, Flush);
        });
        Command<TrainerNodeWatch.NodeJoined>(joined => _trainerNodes.Joined(joined.Node));
        Command<PauseSearch>(pause =>
        {
            Reply(_state.DecidePause(pause.Reason));
            StopSupernetPhases();
        });
        Command<ResumeSearch>(_ =>
        {
            Reply(_state.DecideResume());
            AfterWrites(Awake);
        });
        Command<CancelSearch>(cancel =>
        {
            Reply(_state.DecideCancel(cancel.Reason));
            StopSupernetPhases();
        });
        Command<ChangeBudget>(change => ReplyOrRefuse(() => _state.DecideBudget(change.Trials, change.By), then: Awake));
        Command<ChangePriority>(change => ReplyOrRefuse(() => _state.DecidePriority(change.Priority, change.By), then: null));
        Command<EnqueueTrial>(enqueue => ReplyOrRefuse(() => _state.DecideEnqueue(enqueue.Architecture, enqueue.By), then: null));
        SupernetPhases();
        Command<ReportResult>(result =>
        {
            // The result and the trainer's next trial go to the journal as one write, answered together.
            var sender = Sender;
            var (completed, counted) = AcceptResult(result.TrainerId, result.TrialId, result.LeaseEpoch, result.Metrics);
            Func<object>? reply = null;
            var next = result.NextWork ? DecideWork(result.TrainerId, includeSpec: false, 1 + Depth(), out reply) : [];
            Write([.. completed, .. next], () =>
            {
                sender.Tell(new ResultAccepted(_state.SearchId, result.TrialId, result.LeaseEpoch, counted));
                if (reply is not null) sender.Tell(reply());
                Flush();
            });
        });
        Command<ReportResults>(report =>
        {
            // Lease-ahead: the batch's results and the trainer's refill go to the journal as one write, answered by one message.
            var sender = Sender;
            var accepted = new List<ResultAccepted>(report.Results.Count);
            var events = new List<ISearchEvent>();
            foreach (var result in report.Results.OrderBy(r => r.TrialId))
            {
                var (completed, counted) = AcceptResult(report.TrainerId, result.TrialId, result.LeaseEpoch, result.Metrics);
                events.AddRange(completed);
                accepted.Add(new ResultAccepted(_state.SearchId, result.TrialId, result.LeaseEpoch, counted));
            }
            var refill = report.NextWork && !_state.IsOver && _trainerNodes.Serves(Sender) ? Math.Max(0, 1 + Depth() - _state.HeldBy(report.TrainerId).Count) : 0;
            var added = refill > 0 ? DecideLeases(report.TrainerId, refill) : [];
            events.AddRange(added);
            // The leases this answer adds; to a resent report every lease the trainer holds (it skips those it knows), so a
            // lost answer's leases are not lost.
            IReadOnlyList<int> leases = !report.NextWork ? []
                : _leaseAhead.ListsAllHeld(report.TrainerId, report.Batch) ? _state.HeldBy(report.TrainerId).ToArray()
                : added.OfType<SearchEvents.TrialLeased>().Select(l => l.TrialId).ToArray();
            Write(events, () =>
            {
                sender.Tell(LeasesReply(leases, includeSpec: false, report.Batch, accepted));
                Flush();
            });
        });
        Command<ReportFailure>(failure =>
        {
            var sender = Sender;
            var counted = _state.IsCurrentLease(failure.TrialId, failure.LeaseEpoch);
            var events = _state.DecideFailure(failure.TrainerId, failure.TrialId, failure.LeaseEpoch, failure.Reason, failure.Kind);
            if (events.Count > 0)
                _log.Warning("search {0}: trial {1} (epoch {2}) on {3} ended without a result ({4}): {5}",
                    _state.SearchId, failure.TrialId, failure.LeaseEpoch, failure.TrainerId, failure.Kind, failure.Reason);
            Record(events, () =>
            {
                sender.Tell(new ResultAccepted(_state.SearchId, failure.TrialId, failure.LeaseEpoch, counted));
                Flush();
            });
        });
        Command<ReclaimLeases>(_ =>
        {
            var sender = Sender;
            var events = _state.DecideReclaimAll();
            Record(events, () => sender.Tell(new LeasesReclaimed(_state.SearchId, events.Count(e => e is SearchEvents.TrialLeaseExpired))));
        });
        Command<CheckLeases>(check =>
        {
            var sender = Sender;
            foreach (var hung in _state.HungTrials())
                _log.Warning("search {0}: trial {1} made no progress for execution.trial_timeout ({2} s): lease revoked",
                    _state.SearchId, hung, _state.Definition!.Spec.Execution.TrialTimeoutSeconds);
            var expired = _state.DecideExpiredLeases();
            var lost = expired.Count(e => e is SearchEvents.TrialLeaseExpired);
            if (lost > 0) _log.Info("search {0}: {1} lease(s) expired, trials re-queued", _state.SearchId, lost);
            foreach (var q in expired.OfType<SearchEvents.TrialQuarantined>()) _log.Warning("search {0}: trial {1} {2}", _state.SearchId, q.TrialId, q.Reason);
            _state.Remote?.Tick();
            Record(expired, () =>
            {
                if (check.Acknowledge) sender.Tell(new LeasesChecked(_state.SearchId, lost));
                Flush();
            });
        });
        Command<GetStatus>(get =>
        {
            var sender = Sender;
            AfterWrites(() => sender.Tell(_state.ToStatus(get.IncludeTrials)));
        });
        CommandAny(message =>
        {
            if (!OnPersistenceReply(message)) Unhandled(message);
        });
    }

    /// <summary>
    /// SPOS phases 1-2 (<see cref="SupernetRun"/>, a child): the supernet is built off the actor thread (it reads the
    /// dataset), then the run trains it on the shards and ranks subnets; the ranking is journaled as
    /// <see cref="SearchEvents.SubnetsRanked"/> and phase 3 proceeds as ordinary trials. A pause or cancel stops the run;
    /// a restarted coordinator starts it again, and it skips the rounds the shards already hold.
    /// </summary>
    private void SupernetPhases()
    {
        Command<SupernetBuilt>(built =>
        {
            _buildingSupernet = false;
            if (_state.AwaitingSupernet is not { } spos)
            {
                (built.Supernet as IDisposable)?.Dispose(); // paused or cancelled while it was built
                return;
            }
            _supernet = built.Supernet as IDisposable;
            var (rounds, pathKey, context) = (spos.RoundOptions, (Func<Core.Spaces.Genotype, string>)built.Supernet.PathKey, _state.Definition!.StrategyContext());
            _supernetPhases = Context.Watch(Context.ActorOf(
                SupernetRun.Props(_state.SearchId, built.Supernet, rounds, context, _regions!.SupernetShards!, Self,
                    localWorkers: !_regions.SupernetRoundsOnTrainers, ranker: trained => spos.NewRanker(trained, pathKey),
                    agents: spos is Core.Strategies.OneShot.ManasSupernetSearch manas
                        ? RoundAgents.Props(_state.SearchId, context.Space, manas.Options, context.Seed, _regions.Agents)
                        : null),
                $"{spos.Method}-{++_supernetRuns}"));
            _log.Info("search {0}: supernet phases started ({1}: {2} rounds, {3} workers, {4} shards)", _state.SearchId, spos.Method, rounds.Rounds, rounds.Workers, rounds.Shards);
        });
        Command<SupernetFailed>(failed =>
        {
            _buildingSupernet = false;
            _log.Error(failed.Cause, "search {0}: the supernet could not be built", _state.SearchId);
            var events = _state.AwaitingSupernet is null ? [] : new ISearchEvent[] { new SearchEvents.SearchFinished(_state.BestTrialId, false, $"the supernet could not be built: {failed.Cause.Message}") };
            Record(events, () => { });
        });
        Command<SposProtocol.SupernetRanked>(ranked =>
        {
            var events = _state.DecideRanked(ranked.Ranking, ranked.Stats);
            if (events.Count > 0)
                _log.Info("search {0}: supernet trained ({1} rounds, {2} recovered) and {3} subnets ranked; retraining the best",
                    _state.SearchId, ranked.Stats.Rounds, ranked.Stats.RecoveredRounds, ranked.Ranking.Count);
            // Phase 2 is over, so nothing uses the supernet any more.
            if (Sender.Equals(_supernetPhases))
            {
                _supernet?.Dispose();
                _supernet = null;
            }
            Record(events, Flush);
        });
        Command<Terminated>(dead =>
        {
            if (dead.ActorRef.Equals(_supernetPhases)) _supernetPhases = null;
        });
    }

    /// <summary>
    /// On a cluster a trainer asking a SPOS search for work while its supernet phases run joins them (its worker asks the
    /// run for rounds; during phase 2 it hears there are none and asks again later); null: an ordinary answer.
    /// </summary>
    private SupernetRoundsOpen? SupernetRoundsOpen(RequestWork request) =>
        _regions is { SupernetRoundsOnTrainers: true } && _supernetPhases is { } run && _state.AwaitingSupernet is not null
            ? new SupernetRoundsOpen(_state.SearchId, run, request.IncludeSpec ? _state.SpecData : null)
            : null;

    /// <summary>Starts the supernet phases of a running SPOS search that has no ranking yet (once).</summary>
    private void StartSupernetPhases()
    {
        if (_state.AwaitingSupernet is not { } spos || _buildingSupernet || _supernetPhases is not null) return;
        if (_regions?.SupernetShards is null || _regions.Supernets is null)
        {
            _log.Error("search {0} is a weight-sharing search (spos) but this coordinator was given no supernet shards or supernet provider", _state.SearchId);
            return;
        }
        _buildingSupernet = true;
        var (provider, definition) = (_regions.Supernets, _state.Definition!);
        var rounds = spos.RoundOptions;
        Task.Run(() => new SupernetBuilt(provider.For(definition, rounds))).PipeTo(Self, failure: e => new SupernetFailed(e));
    }

    /// <summary>
    /// Pause or cancel: the run stops (its rounds so far stay in the shards). The supernet is left to the GC rather
    /// than disposed here: a worker's training step may still be running on it off-thread.
    /// </summary>
    private void StopSupernetPhases()
    {
        if (_supernetPhases is not { } run || _state.AwaitingSupernet is not null) return;
        Context.Unwatch(run);
        Context.Stop(run);
        _supernetPhases = null;
    }

    private IDisposable? _supernet;

    private sealed record SupernetBuilt(ISupernet Supernet);

    private sealed record SupernetFailed(Exception Cause);

    /// <summary>Records the events, then answers with the search's status.</summary>
    /// <summary>An operator's command: refused with the reason when the state does not allow it, else recorded and answered.</summary>
    private void ReplyOrRefuse(Func<IReadOnlyList<ISearchEvent>> decide, Action? then)
    {
        IReadOnlyList<ISearchEvent> events;
        try
        {
            events = decide();
        }
        catch (SearchCommandRefused refused)
        {
            Sender.Tell(new CommandRefused(_state.SearchId, refused.Message));
            return;
        }
        _log.Info("search {0}: {1}", _state.SearchId, string.Join(", ", events));
        Reply(events);
        if (then is not null) AfterWrites(then);
    }

    private void Reply(IReadOnlyList<ISearchEvent> events)
    {
        var sender = Sender;
        Record(events, () => sender.Tell(_state.ToStatus(false)));
    }

    /// <summary>Stashes commands until every write is done, then snapshots: a snapshot must not run ahead of the journal.</summary>
    private void DrainingForSnapshot()
    {
        CommandAny(message =>
        {
            if (!OnPersistenceReply(message)) Stash.Stash();
        });
    }

    /// <summary>
    /// Decides the next trial for a trainer; the reply is built once its events are written
    /// (a re-queued trial first, else a fresh proposal, else "nothing yet" or "over").
    /// </summary>
    private IReadOnlyList<ISearchEvent> DecideWork(string trainerId, bool includeSpec, int count, out Func<object> reply)
    {
        if (_state.IsOver)
        {
            reply = () => new SearchOver(_state.SearchId);
            return [];
        }
        if (!_trainerNodes.Serves(Sender))
        {
            reply = () => new NoWorkYet(_state.SearchId); // the trainer's node is leaving or gone: the lease could only expire
            return [];
        }
        var events = DecideLeases(trainerId, count);
        var leased = events.OfType<SearchEvents.TrialLeased>().Select(l => l.TrialId).ToArray();
        // No lease: the search ended, or it has nothing now (e.g. the cache answered every proposal the strategy had; budget.cache).
        reply = leased.Length == 0
            ? () => _state.IsOver ? new SearchOver(_state.SearchId) : (object)new NoWorkYet(_state.SearchId)
            : () => LeasesReply(leased, includeSpec, batch: 0, accepted: []);
        return events;
    }

    /// <summary>
    /// Up to <paramref name="count"/> leases for a trainer, each decided on the state the previous one left (applied at once,
    /// so the budget counts them all); fewer when the queue and the strategy have no more now.
    /// </summary>
    private List<ISearchEvent> DecideLeases(string trainerId, int count)
    {
        _leaseAhead.Saw(trainerId);
        var events = new List<ISearchEvent>();
        for (var i = 0; i < count && !_state.IsOver; i++)
        {
            if (_state.HeldBy(trainerId).Count > 0 && !_state.MayQueue(_leaseAhead.Trainers)) break;
            IReadOnlyList<ISearchEvent> decided;
            try
            {
                decided = _state.DecideWork(trainerId);
            }
            catch (InvalidOperationException e)
            {
                // The strategy cannot propose anything valid (e.g. constraints nothing satisfies): end the search visibly.
                decided = [new SearchEvents.SearchFinished(_state.BestTrialId, false, e.Message)];
            }
            Apply(decided);
            events.AddRange(decided);
            if (!decided.Any(e => e is SearchEvents.TrialLeased)) break;
        }
        return events;
    }

    /// <summary>
    /// Decides and applies one reported result (alone or in a lease-ahead batch): its events, and whether it counted (its lease
    /// was current; a stale one changes nothing).
    /// </summary>
    private (IReadOnlyList<ISearchEvent> Events, bool Counted) AcceptResult(string trainerId, int trialId, int leaseEpoch, TrialMetrics metrics)
    {
        var counted = _state.IsCurrentLease(trialId, leaseEpoch);
        var completed = _state.DecideResult(trainerId, trialId, leaseEpoch, metrics);
        if (completed.OfType<SearchEvents.TrialFailed>().FirstOrDefault() is { } refused)
            _log.Warning("search {0}: result of trial {1} from {2} refused: {3}", _state.SearchId, trialId, trainerId, refused.Reason);
        Apply(completed);
        if (counted) _leaseAhead.Observed(metrics.Seconds);
        return (completed, counted);
    }

    /// <summary>The queued trials this search's trainers may hold now (<c>execution.lease_ahead</c>; <see cref="LeaseAhead"/>).</summary>
    private int Depth() => _leaseAhead.Depth(_state.Definition?.Spec.Execution.LeaseAhead);

    /// <summary>One lease as <see cref="WorkAssigned"/> (what every trainer understands), several (or acceptances) as one <see cref="WorkBatch"/>.</summary>
    private object LeasesReply(IReadOnlyList<int> trialIds, bool includeSpec, int batch, IReadOnlyList<ResultAccepted> accepted)
    {
        var leases = trialIds.Select((id, i) => new WorkAssigned(_state.SearchId, _state.RecordOf(id), _state.LeaseEpochOf(id), _state.LeaseSeconds,
            includeSpec && i == 0 ? _state.SpecData : null) { Priority = _state.Priority }).ToArray();
        return batch == 0 && accepted.Count == 0 && leases.Length == 1
            ? leases[0]
            : new WorkBatch(_state.SearchId, batch, accepted, _state.IsOver ? [] : leases, _state.IsOver);
    }

    /// <summary>Applies the events now, writes them asynchronously, and runs <paramref name="then"/> once they (and all earlier writes) are durable.</summary>
    private void Record(IReadOnlyList<ISearchEvent> events, Action then)
    {
        Apply(events);
        Write(events, then);
    }

    /// <summary>Folds decided events into the state at once, so the next command already sees them.</summary>
    private void Apply(IReadOnlyList<ISearchEvent> events)
    {
        try
        {
            foreach (var e in events) _state.Apply(e);
        }
        catch (Exception e)
        {
            // Part of a batch may be applied and none of it is written: start over from the journal.
            throw new InvalidOperationException($"search {_state.SearchId}: applying decided events failed, recovering from the journal: {e.Message}", e);
        }
        if (events.Any(e => e is SearchEvents.SearchFinished or SearchEvents.SearchCancelled))
            _regions?.SearchIndex?.Tell(new SearchIndexProtocol.UnregisterSearch(_state.SearchId));
    }

    /// <summary>Writes already-applied events as one batch; <paramref name="then"/> runs once they (and all earlier writes) are durable.</summary>
    private void Write(IReadOnlyList<ISearchEvent> events, Action then)
    {
        if (events.Count == 0)
        {
            AfterWrites(then);
            return;
        }
        _writesInFlight++;
        var remaining = events.Count;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        PersistAllAsync(events, _ =>
        {
            if (--remaining > 0) return;
            EngineMetrics.JournalWriteSeconds.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
            _writesInFlight--;
            _eventsSinceSnapshot += events.Count;
            then();
            MaybeSnapshot();
        });
    }

    /// <summary>
    /// After the search started, recovered or resumed: register it in the search index (so a full
    /// restart brings it back) and wake its strategy entities, re-sending every outcome they may have missed.
    /// </summary>
    private void Awake()
    {
        if (_state.Phase != SearchPhase.Running) return;
        // Names the node in its log (node-PORT.log): where a search runs after its shard moved, for operators and the cluster test.
        _log.Info("search {0}: coordinator running on this node ({1} completed)", _state.SearchId, _state.Completed);
        _regions?.SearchIndex?.Tell(new SearchIndexProtocol.RegisterSearch(_state.SearchId));
        _state.Remote?.Wake();
        StartSupernetPhases();
        Flush();
    }

    /// <summary>
    /// Sends what the strategy's entities need to hear (proposals wanted, outcomes) through their
    /// regions. Called once a command's writes are durable, so an entity rarely hears of an outcome
    /// the journal could still lose (and if it does, a re-issued trial's outcome is a duplicate to it).
    /// </summary>
    private void Flush()
    {
        if (_state.Remote is not { } remote) return;
        var messages = remote.Drain();
        if (messages.Count == 0) return;
        if (_regions is null)
        {
            _log.Error("search {0} runs its strategy as entities but this coordinator was given no entity regions", _state.SearchId);
            return;
        }
        foreach (var m in messages)
        {
            var region = m.Kind switch
            {
                EntityKind.Island => _regions.Islands,
                EntityKind.Member => _regions.Members,
                EntityKind.Controller => _regions.Controllers,
                _ => _regions.Agents
            };
            region.Tell(m.Message, Self);
        }
    }

    /// <summary>Runs <paramref name="then"/> after every write issued so far is durable (at once when none is pending).</summary>
    private void AfterWrites(Action then)
    {
        if (_writesInFlight == 0) then();
        else DeferAsync(then, action => action());
    }

    /// <summary>
    /// Events between snapshots: at least <c>execution.snapshot_every</c>, and at least the events the
    /// ledger was built from (about three per trial: proposed, leased, completed). A snapshot copies the
    /// whole ledger, so snapshotting every N events costs O(n²) over a long search; letting the interval
    /// grow with the ledger keeps the total snapshot work linear, while recovery still replays no more
    /// events than it took to build the snapshot it loads.
    /// </summary>
    private int SnapshotInterval() =>
        _state.Definition is { } definition
            ? Math.Max(definition.Spec.Execution.SnapshotEvery, EventsPerTrial * _state.Entries.Count)
            : int.MaxValue;

    private const int EventsPerTrial = 3;

    /// <summary>Snapshots after <see cref="SnapshotInterval"/> events, once no write is pending (draining first if needed).</summary>
    private void MaybeSnapshot()
    {
        if (_eventsSinceSnapshot < SnapshotInterval()) return;
        if (_writesInFlight > 0)
        {
            if (!_draining) Become(DrainingForSnapshot);
            _draining = true;
            return;
        }
        _eventsSinceSnapshot = 0;
        SaveSnapshot(_state.ToSnapshot());
        if (!_draining) return;
        _draining = false;
        Become(Active);
        Stash.UnstashAll();
    }

    /// <summary>The journal refused a write (e.g. it could not serialize it): the state is ahead of it, so recover.</summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr) =>
        throw new JournalWriteException(PersistenceId, rejected: true, @event, sequenceNr, cause);

    /// <summary>
    /// A write failed (it may or may not be stored): Akka stops the actor after this, and its shard (or a back-off
    /// supervisor) starts it again, recovering from what the journal has. Logged here once, instead of Akka's own line.
    /// </summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr) =>
        Context.GetLogger().Error(new JournalWriteException(PersistenceId, rejected: false, @event, sequenceNr, cause).Message);

    private bool OnPersistenceReply(object message)
    {
        switch (message)
        {
            case SaveSnapshotSuccess ok:
                DeleteSnapshots(new SnapshotSelectionCriteria(ok.Metadata.SequenceNr - 1));
                return true;
            case SaveSnapshotFailure failed:
                _log.Warning("search {0}: snapshot failed: {1}", _state.SearchId, failed.Cause.Message);
                return true;
            case DeleteSnapshotsSuccess or DeleteSnapshotsFailure:
                return true;
            default:
                return false;
        }
    }
}
