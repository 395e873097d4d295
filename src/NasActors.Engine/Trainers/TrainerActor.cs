using Akka.Actor;
using Akka.Event;
using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using static NasActors.Engine.Searches.SearchProtocol;
using static NasActors.Engine.Trainers.TrainerProtocol;

namespace NasActors.Engine.Trainers;

/// <summary>
/// One trainer per device slot. Pull-based: asks its search for work when idle, trains off the
/// actor thread (the result comes back through PipeTo), heartbeats its lease (with the trial's latest
/// progress) while training, and re-sends a work request or a report with exponential back-off until
/// the coordinator answers, so a restarted coordinator never leaves it idle. Every message about a trial
/// carries the lease epoch (fencing token) it runs under. A lost lease (paused search, expired or revoked
/// lease) cancels the trial; if the evaluation does not stop within a grace period the trainer is wedged
/// (takes no work) until it does. Repeated failures take the trainer out of rotation for a cool-down.
/// </summary>
public sealed class TrainerActor : ReceiveActor, IWithTimers
{
    private const string PollTimer = "poll";
    private const string RequestTimer = "request";
    private const string HeartbeatTimer = "heartbeat";
    private const string ResendTimer = "resend";
    private const string GraceTimer = "grace";
    private const string CooldownTimer = "cooldown";
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _searches;
    private readonly SearchId _searchId;
    private readonly IEvaluatorProvider _evaluators;
    private readonly TrainerSettings _settings;
    private CancellationTokenSource _cancel = new();
    private SearchDefinition? _definition;
    private ITrialEvaluator? _evaluator;
    private object? _pendingReport;
    private int _attempt;
    private int _retries;
    private int _consecutiveFailures;
    private string _lastError = "";

    public TrainerActor(IActorRef searches, SearchId searchId, IEvaluatorProvider evaluators, TrainerSettings settings)
    {
        _searches = searches;
        _searchId = searchId;
        _evaluators = evaluators;
        _settings = settings;
        Idle();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef searches, SearchId searchId, IEvaluatorProvider evaluators, TrainerSettings settings) =>
        Akka.Actor.Props.Create(() => new TrainerActor(searches, searchId, evaluators, settings));

    protected override void PreStart() => Self.Tell(new PollForWork());

    protected override void PostStop() => _cancel.Cancel();

    private void Idle()
    {
        Receive<PollForWork>(_ =>
        {
            _retries = 0;
            AskForWork();
        });
        Receive<ResendRequest>(_ =>
        {
            _retries++;
            _log.Info("trainer {0}: no answer from search {1}, asking again (retry {2})", _settings.TrainerId, _searchId, _retries);
            AskForWork();
        });
        Receive<NoWorkYet>(_ =>
        {
            Timers.Cancel(RequestTimer);
            Timers.StartSingleTimer(PollTimer, new PollForWork(), _settings.Poll);
        });
        Receive<SearchOver>(_ => Become(Finished));
        Receive<WorkAssigned>(StartTrial);
        IgnoreStale();
    }

    /// <summary>Asks for work and expects an answer within the current back-off delay, else asks again.</summary>
    private void AskForWork()
    {
        _searches.Tell(new RequestWork(_searchId, _settings.TrainerId, _definition is null));
        Timers.StartSingleTimer(RequestTimer, new ResendRequest(), _settings.RetryDelay(_retries));
    }

    private void StartTrial(WorkAssigned work)
    {
        Timers.Cancel(PollTimer);
        Timers.Cancel(RequestTimer);
        if (work.Spec is { } spec && !Prepare(spec, work)) return;
        if (_definition is null || _evaluator is null)
        {
            // Lost the spec (e.g. a coordinator answered without it): ask again, with the spec.
            Timers.StartSingleTimer(PollTimer, new PollForWork(), _settings.Poll);
            return;
        }
        var trial = work.Trial.ToRequest(_definition.Space);
        var attempt = ++_attempt;
        _cancel = new CancellationTokenSource();
        var evaluator = _evaluator;
        var token = _cancel.Token;
        var progress = new LatestProgress();
        var searchFolder = Path.Combine(_settings.ArtifactRoot, _searchId.Value);
        var context = new TrialContext(Path.Combine(searchFolder, "trials"), _settings.Threads, _settings.Device, Path.Combine(searchFolder, "checkpoints"),
            work.LeaseEpoch, progress);
        Task.Run(() => evaluator.EvaluateAsync(trial, context, token), token).PipeTo(Self,
            success: metrics => new TrainingSucceeded(trial, attempt, metrics),
            failure: e => new TrainingFailed(trial, attempt, Describe(e), KindOf(e)));
        Timers.StartPeriodicTimer(HeartbeatTimer, new SendHeartbeat(), TimeSpan.FromSeconds(Math.Max(0.2, work.LeaseSeconds / 3)));
        Become(() => Training(trial, work.LeaseEpoch, attempt, progress));
    }

    private void Training(TrialRequest trial, int epoch, int attempt, LatestProgress progress)
    {
        Receive<SendHeartbeat>(_ => _searches.Tell(new Heartbeat(_searchId, _settings.TrainerId, trial.TrialId, epoch, progress.Latest)));
        Receive<TrainingSucceeded>(done => done.Attempt == attempt, done =>
        {
            _consecutiveFailures = 0;
            Report(new ReportResult(_searchId, _settings.TrainerId, done.Trial.TrialId, epoch, done.Metrics, NextWork: true));
        });
        Receive<TrainingFailed>(failed => failed.Attempt == attempt, failed =>
        {
            _log.Warning("trainer {0}: trial {1} failed ({2}): {3}", _settings.TrainerId, failed.Trial.TrialId, failed.Kind, failed.Reason);
            _consecutiveFailures++;
            _lastError = failed.Reason;
            Report(new ReportFailure(_searchId, _settings.TrainerId, failed.Trial.TrialId, epoch, failed.Reason, failed.Kind));
        });
        Receive<LeaseLost>(lost => lost.TrialId == trial.TrialId && lost.LeaseEpoch == epoch, _ =>
        {
            // Someone else owns the trial now (or the search is paused): stop spending the device on it.
            _log.Info("trainer {0}: lease {1} of trial {2} lost, cancelling it", _settings.TrainerId, epoch, trial.TrialId);
            _cancel.Cancel();
            Timers.Cancel(HeartbeatTimer);
            Timers.StartSingleTimer(GraceTimer, new GraceOver(attempt), _settings.Grace);
            Become(() => Abandoning(trial, attempt));
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
            Become(() => Wedged(trial, attempt));
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

    private void BackToWork()
    {
        Timers.Cancel(GraceTimer);
        Become(Idle);
        Self.Tell(new PollForWork());
    }

    /// <summary>
    /// A lease this trainer cannot use (an answer to a retried request that was only slow): hand it back at once
    /// instead of letting it expire, which would count as an attempt of that trial.
    /// </summary>
    private void HandBackExtraWork(WorkAssigned work) =>
        _searches.Tell(new ReportFailure(_searchId, _settings.TrainerId, work.Trial.TrialId, work.LeaseEpoch,
            "trainer already busy (duplicate answer to a retried work request)", FailureKind.Infrastructure));

    private void Report(object report)
    {
        Timers.Cancel(HeartbeatTimer);
        _pendingReport = report;
        _retries = 0;
        _searches.Tell(report);
        Timers.StartSingleTimer(ResendTimer, new ResendResult(), _settings.RetryDelay(_retries));
        Become(AwaitingAcceptance);
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
                _log.Info("trainer {0}: report of trial {1} (epoch {2}) was stale and did not count", _settings.TrainerId, accepted.TrialId, accepted.LeaseEpoch);
            var workFollows = _pendingReport is ReportResult { NextWork: true };
            _pendingReport = null;
            if (_consecutiveFailures >= _settings.FailuresBeforeCooldown)
            {
                StartCooldown();
                return;
            }
            Become(Idle);
            _retries = 0;
            // A result reported with NextWork is answered with the next trial right after this; the
            // request timer only guards against that answer being lost.
            if (workFollows) Timers.StartSingleTimer(RequestTimer, new ResendRequest(), _settings.RetryDelay(0));
            else Self.Tell(new PollForWork());
        });
        Receive<SearchOver>(_ => Become(Finished));
        Receive<WorkAssigned>(HandBackExtraWork);
        IgnoreStale();
    }

    private static bool IsAnswerTo(ResultAccepted accepted, object? report) => report switch
    {
        ReportResult r => r.TrialId == accepted.TrialId && r.LeaseEpoch == accepted.LeaseEpoch,
        ReportFailure f => f.TrialId == accepted.TrialId && f.LeaseEpoch == accepted.LeaseEpoch,
        _ => false
    };

    private void StartCooldown()
    {
        _log.Warning("trainer {0} ({1}): {2} failed trials in a row, out of rotation for {3}; last error: {4}",
            _settings.TrainerId, _settings.Device, _consecutiveFailures, _settings.Cooldown, _lastError);
        Context.System.EventStream.Publish(new TrainerCoolingDown(_settings.TrainerId, _settings.Device, _consecutiveFailures, _settings.Cooldown, _lastError));
        _consecutiveFailures = 0;
        Timers.StartSingleTimer(CooldownTimer, new CooldownOver(), _settings.Cooldown);
        Become(CoolingDown);
    }

    private void CoolingDown()
    {
        Receive<CooldownOver>(_ =>
        {
            Become(Idle);
            Self.Tell(new PollForWork());
        });
        IgnoreStale();
    }

    /// <summary>Late messages of an abandoned trial or an earlier exchange: nothing to do.</summary>
    private void IgnoreStale()
    {
        Receive<TrainingSucceeded>(_ => { });
        Receive<TrainingFailed>(_ => { });
        Receive<LeaseLost>(_ => { });
        Receive<SendHeartbeat>(_ => { });
        Receive<ResultAccepted>(_ => { });
        Receive<NoWorkYet>(_ => { });
        Receive<ResendRequest>(_ => { });
        Receive<ResendResult>(_ => { });
        Receive<GraceOver>(_ => { });
        Receive<PollForWork>(_ => { });
    }

    private void Finished()
    {
        Timers.CancelAll();
        ReceiveAny(_ => { });
    }

    /// <summary>
    /// Builds the search's evaluator. If that throws (the dataset no longer matches the spec…), no trial of this
    /// search can run here: the trial is reported as a fatal failure, which fails the search once, instead of the
    /// exception restarting the trainer into the same failure forever.
    /// </summary>
    private bool Prepare(SearchSpecData spec, WorkAssigned work)
    {
        try
        {
            _definition = SearchDefinition.From(SearchSpecJson.Deserialize(spec.SpecJson), new DatasetShape(spec.Features, spec.Classes));
            _evaluator = _evaluators.For(_definition);
            return true;
        }
        catch (Exception e)
        {
            _definition = null;
            _evaluator = null;
            _lastError = Describe(e);
            _log.Error("trainer {0}: search {1} cannot run here: {2}", _settings.TrainerId, _searchId, _lastError);
            Report(new ReportFailure(_searchId, _settings.TrainerId, work.Trial.TrialId, work.LeaseEpoch, _lastError, FailureKind.Fatal));
            return false;
        }
    }

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e;

    private static string Describe(Exception e)
    {
        var inner = Unwrap(e);
        return $"{inner.GetType().Name}: {inner.Message}";
    }

    /// <summary>Faults of the machine (disk full, lost file system), not of the trial, are handed back rather than counted.</summary>
    private static FailureKind KindOf(Exception e) =>
        Unwrap(e) is InfrastructureException or IOException ? FailureKind.Infrastructure : FailureKind.Trial;
}
