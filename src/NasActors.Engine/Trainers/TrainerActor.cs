using Akka.Actor;
using Akka.Event;
using NasActors.Core.Specs;
using NasActors.Core.Strategies.Supernet;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Engine.Searches.Index;
using NasActors.Engine.Supernets;
using static NasActors.Engine.Searches.Index.SearchIndexProtocol;
using static NasActors.Engine.Searches.SearchProtocol;
using static NasActors.Engine.Trainers.TrainerProtocol;

namespace NasActors.Engine.Trainers;

/// <summary>
/// One trainer per device slot. Pull-based: asks for work when idle — across every running search of the
/// cluster (from the search index, fair share weighted by each search's <c>execution.priority</c>; see
/// <see cref="FairShare"/>), or of one search when built for it — trains off the
/// actor thread (the result comes back through PipeTo), heartbeats its lease (with the trial's latest
/// progress) while training, and re-sends a work request or a report with exponential back-off until
/// the coordinator answers, so a restarted coordinator never leaves it idle. Every message about a trial
/// carries the lease epoch (fencing token) it runs under. A lost lease (paused search, expired or revoked
/// lease) cancels the trial; if the evaluation does not stop within a grace period the trainer is wedged
/// (takes no work) until it does. Repeated infrastructure faults take the trainer out of rotation for a cool-down.
/// On a cluster a SPOS search that trains its supernet answers with <see cref="SupernetRoundsOpen"/> instead of a
/// trial: the trainer then runs its rounds (<see cref="JoinSupernet"/>).
/// </summary>
public sealed partial class TrainerActor : ReceiveActor, IWithTimers
{
    private const string PollTimer = "poll";
    private const string RequestTimer = "request";
    private const string HeartbeatTimer = "heartbeat";
    private const string ResendTimer = "resend";
    private const string GraceTimer = "grace";
    private const string CooldownTimer = "cooldown";
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private const string DrainTimer = "drain";
    private readonly IActorRef _searches;
    private readonly IActorRef? _searchIndex;
    private readonly SearchId? _only;
    private readonly IEvaluatorProvider _evaluators;
    private readonly TrainerSettings _settings;
    private readonly SupernetTraining? _supernets;
    private (SearchId Search, ISupernet Supernet)? _supernet;
    private IActorRef? _supernetWorker;
    private readonly Dictionary<SearchId, (SearchDefinition Definition, ITrialEvaluator Evaluator)> _prepared = new();
    private readonly FairShare _share = new();
    /// <summary>Open for the trainer's life: rewritten per trial, not re-created (see <see cref="InFlightMarker"/>).</summary>
    private readonly InFlightMarker _marker;
    private CancellationTokenSource _cancel = new();
    private SearchId _searchId = new("");
    private bool _draining;
    /// <summary>A RequestWork is on its way to a search, which may answer with a lease: a drain waits for that answer.</summary>
    private bool _workRequested;
    private bool _preempting;
    private IActorRef? _drainRequester;
    private object? _pendingReport;
    private int _attempt;
    private int _retries;
    /// <summary>Infrastructure faults since the last completed trial (<see cref="CountFault"/>); K of them quarantine the trainer.</summary>
    private int _consecutiveFaults;
    private string _lastError = "";
    private int _failures;
    private TrainerPhase _phase = TrainerPhase.Idle;
    private (SearchId SearchId, int TrialId, LatestProgress Progress)? _trial;
    private TimeSpan? _quarantineRequested;
    private string? _quarantineReason;

    /// <param name="searchIndex">the search index region: the trainer serves every running search it lists</param>
    /// <param name="only">instead of the index: the one search this trainer serves (it stops when that search is over)</param>
    /// <param name="supernets">how to join a SPOS search's supernet training (cluster trainers); none: trials only</param>
    public TrainerActor(IActorRef searches, IActorRef? searchIndex, SearchId? only, IEvaluatorProvider evaluators, TrainerSettings settings,
        SupernetTraining? supernets = null)
    {
        _supernets = supernets;
        if (searchIndex is null == only is null) throw new ArgumentException("a trainer serves either the search index or one search");
        _searches = searches;
        _searchIndex = searchIndex;
        _only = only;
        if (only is not null) _searchId = only;
        _evaluators = evaluators;
        _settings = settings;
        _marker = new InFlightMarker(settings.InFlightMarker);
        Idle();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>A trainer of one search.</summary>
    public static Props Props(IActorRef searches, SearchId searchId, IEvaluatorProvider evaluators, TrainerSettings settings) =>
        Akka.Actor.Props.Create(() => new TrainerActor(searches, null, searchId, evaluators, settings));

    /// <summary>A trainer of the cluster: it serves every running search the index lists, and holds no search of its own.</summary>
    public static Props ForCluster(IActorRef searches, IActorRef searchIndex, IEvaluatorProvider evaluators, TrainerSettings settings,
        SupernetTraining? supernets = null) =>
        Akka.Actor.Props.Create(() => new TrainerActor(searches, searchIndex, null, evaluators, settings, supernets));

    protected override void PreStart()
    {
        // A trainer the node's roster recorded as quarantined before a restart starts out of rotation.
        _consecutiveFaults = _settings.PriorFaults;
        _lastError = _settings.PriorFault ?? "";
        if (_settings.QuarantinedFor is { } remaining) StartQuarantine(remaining, "quarantined before the node restarted");
        else if (_consecutiveFaults >= _settings.FailuresBeforeCooldown) StartCooldown();
        else Self.Tell(new PollForWork());
    }

    protected override void PostStop()
    {
        _cancel.Cancel();
        _marker.Dispose();
    }

    private void Idle()
    {
        Receive<PollForWork>(_ =>
        {
            _retries = 0;
            AskForWork();
        });
        Receive<ResendRequest>(_ =>
        {
            _workRequested = false;
            if (_draining)
            {
                Drained(); // the answer to the last request is lost or late: stop waiting for it
                return;
            }
            _retries++;
            _log.Info("trainer {0}: no answer from {1}, asking again (retry {2})", _settings.TrainerId,
                _searchIndex is null ? $"search {_searchId}" : "the search index", _retries);
            AskForWork();
        });
        Receive<ActiveSearches>(active =>
        {
            // Answers to retried index requests arrive in a burst once the index is up: one work request is enough.
            if (_workRequested) return;
            if (_draining)
            {
                Drained();
                return;
            }
            Timers.Cancel(RequestTimer);
            _share.Update(active.SearchIds);
            if (_share.Next(Environment.TickCount64) is { } next)
            {
                _searchId = next;
                AskSearch();
            }
            else Timers.StartSingleTimer(PollTimer, new PollForWork(), _settings.Poll);
        });
        Receive<NoWorkYet>(none =>
        {
            Timers.Cancel(RequestTimer);
            _workRequested = false;
            if (_draining)
            {
                Drained();
                return;
            }
            if (_only is null)
            {
                // Another search may have work now: ask it at once; this one only after a poll interval.
                _share.Dry(none.SearchId, Environment.TickCount64 + (long)_settings.Poll.TotalMilliseconds);
                if (_share.Next(Environment.TickCount64) is { } other)
                {
                    _searchId = other;
                    AskSearch();
                    return;
                }
            }
            Timers.StartSingleTimer(PollTimer, new PollForWork(), _settings.Poll);
        });
        Receive<SearchOver>(SearchIsOver);
        Receive<WorkAssigned>(work => _draining, HandBackForDrain);
        Receive<WorkAssigned>(work =>
        {
            _queued.Clear(); // the answer to a work request lists every lease the trainer holds
            StartTrial(work);
        });
        Receive<WorkBatch>(answer => answer.Batch == 0, StartBatch);
        Receive<SupernetRoundsOpen>(JoinSupernet);
        Receive<DrainTrainer>(_ =>
        {
            _draining = true;
            _drainRequester = Sender;
            // A lease may be on its way: wait for the answer and hand it back, or it would be left to expire.
            if (!_workRequested) Drained();
        });
        IgnoreStale();
    }

    /// <summary>A lease that arrives after the drain began: handed back at once as preempted, and the drain ends once the search has it.</summary>
    private void HandBackForDrain(WorkAssigned work)
    {
        Timers.Cancel(RequestTimer);
        _workRequested = false;
        _searchId = work.SearchId;
        Report(GiveBack(work, DrainReason, FailureKind.Preempted));
    }

    private void SearchIsOver(SearchOver over)
    {
        _workRequested = false;
        if (_only is not null)
        {
            Enter(TrainerPhase.Drained, Finished);
            return;
        }
        _share.Over(over.SearchId);
        if (_draining) Drained();
        else
        {
            Enter(TrainerPhase.Idle, Idle);
            Self.Tell(new PollForWork());
        }
    }

    /// <summary>
    /// Asks for work and expects an answer within the current back-off delay, else asks again. A cluster
    /// trainer first asks the index which searches run (then <see cref="AskSearch"/> the one whose turn it is).
    /// </summary>
    private void AskForWork()
    {
        if (_searchIndex is not null) _searchIndex.Tell(new GetActiveSearches());
        else
        {
            _searches.Tell(new RequestWork(_searchId, _settings.TrainerId, !_prepared.ContainsKey(_searchId)));
            _workRequested = true;
        }
        Timers.StartSingleTimer(RequestTimer, new ResendRequest(), _settings.RetryDelay(_retries));
    }

    private void AskSearch()
    {
        _searches.Tell(new RequestWork(_searchId, _settings.TrainerId, !_prepared.ContainsKey(_searchId)));
        _workRequested = true;
        Timers.StartSingleTimer(RequestTimer, new ResendRequest(), _settings.RetryDelay(_retries));
    }

    /// <summary>A draining trainer with nothing in hand is done: it says so and takes no more work.</summary>
    private void Drained()
    {
        if (_batchInFlight is not null)
        {
            // Results are still being reported: they count, so the drain ends once they are answered.
            Enter(TrainerPhase.Reporting, AwaitingBatch);
            return;
        }
        _log.Info("trainer {0}: drained", _settings.TrainerId);
        _workRequested = false;
        _drainRequester?.Tell(new TrainerDrained(_settings.TrainerId));
        Enter(TrainerPhase.Drained, Finished);
    }

    private void StartTrial(WorkAssigned work)
    {
        Timers.Cancel(PollTimer);
        Timers.Cancel(RequestTimer);
        _workRequested = false;
        _searchId = work.SearchId;
        if (work.Spec is { } spec && !Prepare(spec, work)) return;
        if (!_prepared.TryGetValue(work.SearchId, out var prepared))
        {
            // Lost the spec (e.g. a coordinator answered without it): hand the lease back, ask again with the spec.
            HandBackExtraWork(work);
            Timers.StartSingleTimer(PollTimer, new PollForWork(), _settings.Poll);
            return;
        }
        if (work.Priority > 0) _share.Weigh(work.SearchId, work.Priority); // an operator may have changed the spec's
        _share.Served(work.SearchId);
        var trial = work.Trial.ToRequest(prepared.Definition.Space);
        var attempt = ++_attempt;
        _cancel = new CancellationTokenSource();
        _preempting = false;
        var evaluator = prepared.Evaluator;
        var token = _cancel.Token;
        var progress = new LatestProgress();
        var searchFolder = Path.Combine(_settings.ArtifactRoot, _searchId.Value);
        var context = new TrialContext(Path.Combine(searchFolder, "trials"), _settings.Threads, _settings.Device, Path.Combine(searchFolder, "checkpoints"),
            work.LeaseEpoch, progress);
        var marker = _marker;
        var markerText = $"trial {trial.TrialId} (lease {work.LeaseEpoch}) of search {_searchId}";
        Task.Run(async () =>
        {
            marker.Write(markerText);
            try { return await evaluator.EvaluateAsync(trial, context, token); }
            finally { marker.Clear(); }
        }, token).PipeTo(Self,
            success: metrics => new TrainingSucceeded(trial, attempt, metrics),
            failure: e => new TrainingFailed(trial, attempt, Describe(e), KindOf(e)));
        Timers.StartPeriodicTimer(HeartbeatTimer, new SendHeartbeat(), TimeSpan.FromSeconds(Math.Max(0.2, work.LeaseSeconds / 3)));
        _trial = (work.SearchId, trial.TrialId, progress);
        _running = work;
        Enter(TrainerPhase.Training, () => Training(trial, work.LeaseEpoch, attempt, progress));
        if (_draining) Self.Tell(new DrainTrainer(), _drainRequester ?? ActorRefs.NoSender);
    }

    /// <summary>
    /// Draining while training: the trial stops at its next epoch boundary (its epoch checkpoint is then on disk),
    /// or at once if the evaluator reports no epochs, and is handed back as preempted.
    /// </summary>
    private void StartDrainWhileTraining(LatestProgress progress)
    {
        _draining = true;
        var epochAtDrain = progress.Latest?.Epoch;
        if (epochAtDrain is null) CancelForDrain();
        else Timers.StartPeriodicTimer(DrainTimer, new DrainCheck(epochAtDrain.Value), TimeSpan.FromMilliseconds(100));
    }

    private void CancelForDrain()
    {
        Timers.Cancel(DrainTimer);
        _preempting = true;
        _cancel.Cancel();
    }

    private void Training(TrialRequest trial, int epoch, int attempt, LatestProgress progress)
    {
        Receive<SendHeartbeat>(_ => _searches.Tell(new Heartbeat(_searchId, _settings.TrainerId, trial.TrialId, epoch, progress.Latest)));
        Receive<DrainTrainer>(_ =>
        {
            _drainRequester = Sender;
            if (!_draining || !_preempting) StartDrainWhileTraining(progress);
            HandBackQueued();
        });
        Receive<DrainCheck>(check =>
        {
            if (progress.Latest is { } latest && latest.Epoch > check.EpochAtDrain) CancelForDrain();
        });
        Receive<TrainingSucceeded>(done => done.Attempt == attempt, done =>
        {
            Timers.Cancel(DrainTimer);
            if (_consecutiveFaults > 0) Context.System.EventStream.Publish(new TrainerFaultsCleared(_settings.TrainerId));
            _consecutiveFaults = 0;
            if (LeasingAhead) ResultLeasingAhead(done.Trial.TrialId, epoch, done.Metrics);
            else Report(new ReportResult(_searchId, _settings.TrainerId, done.Trial.TrialId, epoch, done.Metrics, NextWork: !_draining));
        });
        Receive<TrainingFailed>(failed => failed.Attempt == attempt && _preempting, failed =>
        {
            _log.Info("trainer {0}: trial {1} stopped for the drain; handing it back as preempted", _settings.TrainerId, failed.Trial.TrialId);
            Report(new ReportFailure(_searchId, _settings.TrainerId, failed.Trial.TrialId, epoch, DrainReason, FailureKind.Preempted));
        });
        Receive<TrainingFailed>(failed => failed.Attempt == attempt, failed =>
        {
            Timers.Cancel(DrainTimer);
            _log.Warning("trainer {0}: trial {1} failed ({2}): {3}", _settings.TrainerId, failed.Trial.TrialId, failed.Kind, failed.Reason);
            _failures++;
            if (failed.Kind == FailureKind.Infrastructure) CountFault(failed.Reason);
            Report(new ReportFailure(_searchId, _settings.TrainerId, failed.Trial.TrialId, epoch, failed.Reason, failed.Kind));
        });
        Receive<LeaseLost>(lost => lost.TrialId == trial.TrialId && lost.LeaseEpoch == epoch, lost =>
        {
            // Someone else owns the trial now (or the search is paused): stop spending the device on it.
            _log.Info("trainer {0}: lease {1} of trial {2} lost, cancelling it", _settings.TrainerId, epoch, trial.TrialId);
            if (lost.Expired) CountFault($"lease {epoch} of trial {trial.TrialId} lost while the search ran (expired or revoked as hung)");
            HandBackQueued(); // a work request after the abandoned trial hears which of them are still this trainer's
            _cancel.Cancel();
            Timers.Cancel(HeartbeatTimer);
            Timers.StartSingleTimer(GraceTimer, new GraceOver(attempt), _settings.Grace);
            Enter(TrainerPhase.Abandoning, () => Abandoning(trial, attempt));
        });
        Receive<WorkAssigned>(HandBackExtraWork);
        IgnoreStale();
    }

    /// <summary>A cancelled evaluation has until the grace period ends to stop; the device is not free before.</summary>
    private void Abandoning(TrialRequest trial, int attempt)
    {
        Receive<TrainingSucceeded>(done => done.Attempt == attempt, _ => BackToWork());
        Receive<TrainingFailed>(failed => failed.Attempt == attempt, _ => BackToWork());
        Receive<GraceOver>(over => over.Attempt == attempt, _ =>
        {
            // .NET cannot abort a thread stuck in native code: wait for it, taking no work meanwhile.
            _log.Warning("trainer {0} ({1}): trial {2} did not stop within {3} of being cancelled; wedged, taking no work until it ends",
                _settings.TrainerId, _settings.Device, trial.TrialId, _settings.Grace);
            Context.System.EventStream.Publish(new TrainerWedged(_settings.TrainerId, _settings.Device, trial.TrialId));
            Enter(TrainerPhase.Wedged, () => Wedged(trial, attempt));
        });
        Receive<WorkAssigned>(HandBackExtraWork);
        IgnoreStale();
    }

    private void Wedged(TrialRequest trial, int attempt)
    {
        Receive<TrainingSucceeded>(done => done.Attempt == attempt, _ => Unwedged(trial));
        Receive<TrainingFailed>(failed => failed.Attempt == attempt, _ => Unwedged(trial));
        Receive<WorkAssigned>(HandBackExtraWork);
        IgnoreStale();
    }

    private void Unwedged(TrialRequest trial)
    {
        _log.Info("trainer {0}: abandoned trial {1} finally ended; taking work again", _settings.TrainerId, trial.TrialId);
        BackToWork();
    }

    /// <param name="pollLater">ask for work after a poll interval rather than at once (the search just had nothing for this trainer)</param>
    private void BackToWork(bool pollLater = false)
    {
        Timers.Cancel(GraceTimer);
        _trial = null;
        _running = null;
        if (_draining)
        {
            Drained();
            return;
        }
        if (_consecutiveFaults >= _settings.FailuresBeforeCooldown)
        {
            StartCooldown();
            return;
        }
        if (_quarantineRequested is { } duration)
        {
            StartQuarantine(duration, "quarantined by an operator");
            return;
        }
        Enter(TrainerPhase.Idle, Idle);
        if (!pollLater) Self.Tell(new PollForWork());
        else
        {
            _retries = 0;
            Timers.StartSingleTimer(PollTimer, new PollForWork(), _settings.Poll);
        }
    }

    /// <summary>
    /// A fault of the machine rather than of the trial's architecture: an infrastructure failure (I/O, a CUDA error), a lease
    /// lost while the search ran, a result that came back after its lease had expired. A trial's own failure (NaN loss, a
    /// diverging model, a bad configuration) neither counts nor resets the count: it says nothing about the device.
    /// </summary>
    private void CountFault(string what)
    {
        _consecutiveFaults++;
        _lastError = what;
    }

    /// <summary>
    /// A lease this trainer cannot use (an answer to a retried request that was only slow): hand it back at once
    /// instead of letting it expire, which would count as an attempt of that trial.
    /// </summary>
    private void HandBackExtraWork(WorkAssigned work)
    {
        if (Holds(work)) return; // a re-sent answer naming a lease this trainer runs or has queued
        _searches.Tell(GiveBack(work, "trainer already busy (duplicate answer to a retried work request)", FailureKind.Infrastructure));
    }

    private void Report(object report)
    {
        Timers.Cancel(HeartbeatTimer);
        _running = null;
        _pendingReport = report;
        _retries = 0;
        _searches.Tell(report);
        Timers.StartSingleTimer(ResendTimer, new ResendResult(), _settings.RetryDelay(_retries));
        Enter(TrainerPhase.Reporting, AwaitingAcceptance);
    }

    private void AwaitingAcceptance()
    {
        // A resend never asks for more work: the first copy may only be slow, and two leases would waste one.
        Receive<ResendResult>(_ =>
        {
            _retries++;
            _searches.Tell(_pendingReport is ReportResult r ? r with { NextWork = false } : _pendingReport!);
            Timers.StartSingleTimer(ResendTimer, new ResendResult(), _settings.RetryDelay(_retries));
        });
        Receive<ResultAccepted>(accepted => IsAnswerTo(accepted, _pendingReport), accepted =>
        {
            Timers.Cancel(ResendTimer);
            if (!accepted.Counted)
            {
                _log.Info("trainer {0}: report of trial {1} (epoch {2}) was stale and did not count", _settings.TrainerId, accepted.TrialId, accepted.LeaseEpoch);
                if (_pendingReport is ReportResult) CountFault($"result of trial {accepted.TrialId} came after lease {accepted.LeaseEpoch} had expired");
            }
            var workFollows = _pendingReport is ReportResult { NextWork: true };
            _pendingReport = null;
            _trial = null;
            if (_draining && !workFollows)
            {
                Drained();
                return;
            }
            if (_consecutiveFaults >= _settings.FailuresBeforeCooldown)
            {
                StartCooldown();
                return;
            }
            if (_quarantineRequested is { } duration)
            {
                // The next trial, if one follows this answer, is handed back by the quarantined state.
                StartQuarantine(duration, "quarantined by an operator");
                return;
            }
            Enter(TrainerPhase.Idle, Idle);
            _retries = 0;
            // A result reported with NextWork is answered with the next trial right after this; the
            // request timer only guards against that answer being lost. Draining, that trial is handed back.
            if (workFollows)
            {
                _workRequested = true;
                Timers.StartSingleTimer(RequestTimer, new ResendRequest(), _settings.RetryDelay(0));
            }
            else Self.Tell(new PollForWork());
        });
        Receive<SearchOver>(over => over.SearchId == _searchId, over =>
        {
            Timers.Cancel(ResendTimer);
            _pendingReport = null;
            SearchIsOver(over);
        });
        Receive<DrainTrainer>(_ =>
        {
            _draining = true;
            _drainRequester = Sender;
        });
        Receive<WorkAssigned>(HandBackExtraWork);
        IgnoreStale();
    }

    private static bool IsAnswerTo(ResultAccepted accepted, object? report) => report switch
    {
        ReportResult r => r.TrialId == accepted.TrialId && r.LeaseEpoch == accepted.LeaseEpoch,
        ReportFailure f => f.TrialId == accepted.TrialId && f.LeaseEpoch == accepted.LeaseEpoch,
        _ => false
    };

    /// <summary>
    /// K infrastructure faults in a row: the device (or its driver, its disk, its network) is suspect. The trainer quarantines itself for
    /// the cool-down and says so on the event stream; the node's <see cref="TrainerRoster"/> records it.
    /// </summary>
    private void StartCooldown()
    {
        _log.Warning("trainer {0} ({1}): {2} infrastructure faults in a row, quarantined for {3}; last: {4}",
            _settings.TrainerId, _settings.Device, _consecutiveFaults, _settings.Cooldown, _lastError);
        var cooling = new TrainerCoolingDown(_settings.TrainerId, _settings.Device, _consecutiveFaults, _settings.Cooldown, _lastError);
        Context.System.EventStream.Publish(cooling);
        StartQuarantine(_settings.Cooldown, cooling.Reason);
    }

    /// <summary>Out of rotation for <paramref name="duration"/> (infinite: until released).</summary>
    private void StartQuarantine(TimeSpan duration, string reason)
    {
        _consecutiveFaults = 0;
        _quarantineRequested = null;
        _quarantineReason = reason;
        HandBackQueued();
        if (duration != Timeout.InfiniteTimeSpan) Timers.StartSingleTimer(CooldownTimer, new CooldownOver(), duration);
        Enter(TrainerPhase.Quarantined, CoolingDown);
    }

    private void CoolingDown()
    {
        Receive<CooldownOver>(_ => LeaveQuarantine("cool-down over"));
        Receive<ReleaseTrainer>(_ => LeaveQuarantine("released by an operator"));
        Receive<WorkAssigned>(HandBackExtraWork);
        Receive<DrainTrainer>(_ =>
        {
            _draining = true;
            _drainRequester = Sender;
            Timers.Cancel(CooldownTimer);
            Drained();
        });
        IgnoreStale();
    }

    private void LeaveQuarantine(string why)
    {
        _log.Info("trainer {0} ({1}): out of quarantine ({2})", _settings.TrainerId, _settings.Device, why);
        Timers.Cancel(CooldownTimer);
        _quarantineReason = null;
        Enter(TrainerPhase.Idle, Idle);
        Self.Tell(new PollForWork());
    }

    private void Enter(TrainerPhase phase, Action behaviour)
    {
        _phase = phase;
        Become(behaviour);
    }

    /// <summary>Questions and operator commands any state answers: what the trainer does now, quarantine it.</summary>
    protected override bool AroundReceive(Receive receive, object message)
    {
        switch (message)
        {
            case GetTrainerState:
                Sender.Tell(View());
                return true;
            case QuarantineTrainerNow quarantine when _phase is not (TrainerPhase.Quarantined or TrainerPhase.Drained):
                _log.Warning("trainer {0} ({1}): quarantined by an operator", _settings.TrainerId, _settings.Device);
                if (_phase == TrainerPhase.Idle)
                {
                    Timers.Cancel(PollTimer);
                    Timers.Cancel(RequestTimer);
                    StartQuarantine(quarantine.For, "quarantined by an operator");
                }
                else _quarantineRequested = quarantine.For; // after the trial in hand
                Sender.Tell(View());
                return true;
            case QuarantineTrainerNow:
                Sender.Tell(View());
                return true;
            case ReleaseTrainer when _phase != TrainerPhase.Quarantined:
                _quarantineRequested = null;
                Sender.Tell(View());
                return true;
            case ReleaseTrainer:
                var handled = base.AroundReceive(receive, message);
                Sender.Tell(View());
                return handled;
            default:
                return base.AroundReceive(receive, message);
        }
    }

    private TrainerState View() => new(_settings.TrainerId, _settings.Device, _phase, _trial?.SearchId.Value, _trial?.TrialId,
        _trial?.Progress.Latest, _consecutiveFaults, _failures,
        _phase == TrainerPhase.Quarantined ? _quarantineReason : _quarantineRequested is not null ? "quarantine pending (after the trial in hand)" : null);

    /// <summary>
    /// Late messages of an abandoned trial or an earlier exchange: nothing to do. One handler for all of them, not one each:
    /// every state change re-registers its handlers (a trainer changes state three times per trial), so fewer are cheaper.
    /// </summary>
    private void IgnoreStale()
    {
        Receive<DrainTrainer>(_ =>
        {
            // Between states (abandoning a trial, wedged): it drains when that ends.
            _draining = true;
            _drainRequester = Sender;
        });
        LeaseAheadReports();
        Receive<object>(IsStale, _ => { });
    }

    private static bool IsStale(object message) =>
        message is TrainingSucceeded or TrainingFailed or LeaseLost or SendHeartbeat or ResultAccepted or NoWorkYet or SupernetRoundsOpen
            or ResendRequest or ResendResult or GraceOver or PollForWork or ActiveSearches or DrainCheck or SearchOver;

    private void Finished()
    {
        Timers.CancelAll();
        Receive<DrainTrainer>(_ => Sender.Tell(new TrainerDrained(_settings.TrainerId)));
        // A lease answering a request given up on: hand it back while the node is still up, rather than let it expire.
        Receive<WorkAssigned>(work => _searches.Tell(GiveBack(work, DrainReason, FailureKind.Preempted)));
        Receive<WorkBatch>(answer =>
        {
            foreach (var lease in answer.Leases) HandBack(lease);
        });
        ReceiveAny(_ => { });
    }

    /// <summary>
    /// Builds the search's evaluator. If that throws (the dataset no longer matches the spec…), no trial of this
    /// search can run here: the trial is reported as a fatal failure, which fails the search once, instead of the
    /// exception restarting the trainer into the same failure forever.
    /// </summary>
    private bool Prepare(SearchSpecData spec, WorkAssigned work)
    {
        if (TryPrepare(work.SearchId, spec)) return true;
        Report(new ReportFailure(_searchId, _settings.TrainerId, work.Trial.TrialId, work.LeaseEpoch, _lastError, FailureKind.Fatal));
        return false;
    }

    /// <summary>Builds the search's definition and evaluator from its spec; false (logged, in <see cref="_lastError"/>) when it cannot run here.</summary>
    private bool TryPrepare(SearchId searchId, SearchSpecData spec)
    {
        try
        {
            var definition = SearchDefinition.From(SearchSpecJson.Deserialize(spec.SpecJson), new DatasetShape(spec.Features, spec.Classes));
            _prepared[searchId] = (definition, _evaluators.For(definition));
            _share.Weigh(searchId, definition.Spec.Execution.Priority);
            return true;
        }
        catch (Exception e)
        {
            _prepared.Remove(searchId);
            _lastError = Describe(e);
            _log.Error("trainer {0}: search {1} cannot run here: {2}", _settings.TrainerId, searchId, _lastError);
            return false;
        }
    }

    /// <summary>
    /// A SPOS search trains its supernet (on a cluster): this trainer runs its rounds with a <see cref="SupernetWorker"/>
    /// that asks the run's driver for them, until the driver has none left or is gone, then asks for work again (after a
    /// poll interval: during phase 2 the search answers the same). Killed, the trainer loses only the round in hand, whose
    /// pushes never reached a shard or are deduplicated by round; the driver hands that round out again.
    /// </summary>
    private void JoinSupernet(SupernetRoundsOpen open)
    {
        Timers.Cancel(PollTimer);
        Timers.Cancel(RequestTimer);
        _workRequested = false;
        if (_draining)
        {
            Drained();
            return;
        }
        _searchId = open.SearchId;
        if (open.Spec is { } spec) TryPrepare(open.SearchId, spec);
        if (_supernets is not { } supernets || !_prepared.TryGetValue(open.SearchId, out var prepared))
        {
            // No spec yet (the next request asks for it), a spec this node cannot run, or a trainer built without supernets.
            if (_supernets is null) _log.Warning("trainer {0}: search {1} offers supernet rounds, but this trainer cannot train supernets", _settings.TrainerId, open.SearchId);
            Timers.StartSingleTimer(PollTimer, new PollForWork(), _settings.Poll);
            return;
        }
        if (prepared.Definition.CreateStrategy() is not ITrainsSupernet method)
        {
            _log.Warning("trainer {0}: search {1} offers supernet rounds, but its strategy trains no supernet", _settings.TrainerId, open.SearchId);
            Timers.StartSingleTimer(PollTimer, new PollForWork(), _settings.Poll);
            return;
        }
        _share.Served(open.SearchId);
        var options = method.RoundOptions;
        Enter(TrainerPhase.Training, () => SupernetRounds(open, options, prepared.Definition));
        if (_supernet is { } built && built.Search == open.SearchId) Self.Tell(new SupernetBuilt(built.Supernet));
        else
        {
            var definition = prepared.Definition;
            Task.Run(() => new SupernetBuilt(supernets.Provider.For(definition, options))).PipeTo(Self, failure: e => new SupernetBuildFailed(e));
        }
    }

    private void SupernetRounds(SupernetRoundsOpen open, SposOptions options, SearchDefinition definition)
    {
        Receive<SupernetBuilt>(built =>
        {
            _supernet = (open.SearchId, built.Supernet);
            if (_draining)
            {
                LeaveSupernet();
                return;
            }
            _supernetWorker = Context.Watch(Context.ActorOf(SupernetWorker.Props(open.SearchId, built.Supernet, options, definition.Space,
                _supernets!.Shards, open.Driver, joined: true)));
            _log.Info("trainer {0}: training the supernet of search {1}", _settings.TrainerId, open.SearchId);
        });
        Receive<SupernetBuildFailed>(failed =>
        {
            _lastError = Describe(failed.Cause);
            _log.Error("trainer {0}: the supernet of search {1} cannot be built here: {2}", _settings.TrainerId, open.SearchId, _lastError);
            LeaveSupernet();
        });
        Receive<Terminated>(dead => dead.ActorRef.Equals(_supernetWorker), _ => LeaveSupernet());
        Receive<DrainTrainer>(_ =>
        {
            // The round in hand is lost (the driver hands it out again); nothing of it reached a shard unanswered.
            _draining = true;
            _drainRequester = Sender;
            if (_supernetWorker is { } worker) Context.Stop(worker);
        });
        Receive<WorkAssigned>(HandBackExtraWork);
        IgnoreStale();
    }

    private void LeaveSupernet()
    {
        _supernetWorker = null;
        BackToWork(pollLater: true);
    }

    private sealed record SupernetBuilt(ISupernet Supernet);

    private sealed record SupernetBuildFailed(Exception Cause);

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e;

    private static string Describe(Exception e)
    {
        var inner = Unwrap(e);
        return $"{inner.GetType().Name}: {inner.Message}";
    }

    /// <summary>
    /// Faults of the machine (disk full, lost file system, a CUDA error from the driver or device), not of the trial, are
    /// handed back rather than counted against the search, and count towards the trainer's quarantine. CUDA running out
    /// of memory is the trial's: its architecture is too large for the device.
    /// </summary>
    private static FailureKind KindOf(Exception e) =>
        Unwrap(e) is InfrastructureException or IOException || IsDeviceFault(Unwrap(e).Message) ? FailureKind.Infrastructure : FailureKind.Trial;

    /// <summary>LibTorch's messages for device faults (TorchSharp raises them as plain exceptions carrying libtorch's text).</summary>
    public static bool IsDeviceFault(string message) =>
        (message.Contains("CUDA error", StringComparison.OrdinalIgnoreCase) || message.Contains("CUDA driver", StringComparison.OrdinalIgnoreCase)
         || message.Contains("CUBLAS_STATUS", StringComparison.Ordinal) || message.Contains("CUDNN_STATUS", StringComparison.Ordinal))
        && !message.Contains("out of memory", StringComparison.OrdinalIgnoreCase);
}
