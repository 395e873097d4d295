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
/// actor thread (the result comes back through PipeTo), heartbeats its lease while training,
/// and re-sends a result until the coordinator confirms it is persisted. A lost lease (paused
/// search, expired lease) cancels the trial; repeated failures take the trainer out of rotation
/// for a cool-down, the first step of quarantining a bad device.
/// </summary>
public sealed class TrainerActor : ReceiveActor, IWithTimers
{
    private const string PollTimer = "poll";
    private const string HeartbeatTimer = "heartbeat";
    private const string ResendTimer = "resend";
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
        Receive<PollForWork>(_ => _searches.Tell(new RequestWork(_searchId, _settings.TrainerId, _definition is null)));
        Receive<NoWorkYet>(_ => Timers.StartSingleTimer(PollTimer, new PollForWork(), _settings.Poll));
        Receive<SearchOver>(_ => Become(Finished));
        Receive<WorkAssigned>(StartTrial);
        IgnoreStale();
    }

    private void StartTrial(WorkAssigned work)
    {
        Timers.Cancel(PollTimer);
        if (work.Spec is { } spec) Prepare(spec);
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
        var searchFolder = Path.Combine(_settings.ArtifactRoot, _searchId.Value);
        var context = new TrialContext(Path.Combine(searchFolder, "trials"), _settings.Threads, _settings.Device, Path.Combine(searchFolder, "checkpoints"));
        Task.Run(() => evaluator.EvaluateAsync(trial, context, token), token).PipeTo(Self,
            success: metrics => new TrainingSucceeded(trial, attempt, metrics),
            failure: e => new TrainingFailed(trial, attempt, Describe(e)));
        Timers.StartPeriodicTimer(HeartbeatTimer, new SendHeartbeat(), TimeSpan.FromSeconds(Math.Max(0.2, work.LeaseSeconds / 3)));
        Become(() => Training(trial, attempt));
    }

    private void Training(TrialRequest trial, int attempt)
    {
        Receive<SendHeartbeat>(_ => _searches.Tell(new Heartbeat(_searchId, _settings.TrainerId, trial.TrialId)));
        Receive<TrainingSucceeded>(done => done.Attempt == attempt, done =>
        {
            _consecutiveFailures = 0;
            Report(new ReportResult(_searchId, _settings.TrainerId, done.Trial.TrialId, done.Metrics, NextWork: true));
        });
        Receive<TrainingFailed>(failed => failed.Attempt == attempt, failed =>
        {
            _log.Warning("trainer {0}: trial {1} failed: {2}", _settings.TrainerId, failed.Trial.TrialId, failed.Reason);
            _consecutiveFailures++;
            _lastError = failed.Reason;
            Report(new ReportFailure(_searchId, _settings.TrainerId, failed.Trial.TrialId, failed.Reason));
        });
        Receive<LeaseLost>(lost => lost.TrialId == trial.TrialId, _ =>
        {
            // Someone else owns the trial now (or the search is paused): stop spending the device on it.
            _log.Info("trainer {0}: lease of trial {1} lost, cancelling it", _settings.TrainerId, trial.TrialId);
            _cancel.Cancel();
            Timers.Cancel(HeartbeatTimer);
            Become(Idle);
            Timers.StartSingleTimer(PollTimer, new PollForWork(), _settings.Poll);
        });
        Receive<NoWorkYet>(_ => { });
        IgnoreStale();
    }

    private void Report(object report)
    {
        Timers.Cancel(HeartbeatTimer);
        _pendingReport = report;
        _searches.Tell(report);
        Timers.StartPeriodicTimer(ResendTimer, new ResendResult(), _settings.Resend);
        Become(AwaitingAcceptance);
    }

    private void AwaitingAcceptance()
    {
        // A resend never asks for more work: the first copy may only be slow, and two leases would waste one.
        Receive<ResendResult>(_ => _searches.Tell(_pendingReport is ReportResult r ? r with { NextWork = false } : _pendingReport!));
        Receive<ResultAccepted>(_ =>
        {
            Timers.Cancel(ResendTimer);
            var workFollows = _pendingReport is ReportResult { NextWork: true };
            _pendingReport = null;
            if (_consecutiveFailures >= _settings.FailuresBeforeCooldown)
            {
                StartCooldown();
                return;
            }
            Become(Idle);
            // A result reported with NextWork is answered with the next trial right after this;
            // the timer only guards against that answer being lost.
            if (workFollows) Timers.StartSingleTimer(PollTimer, new PollForWork(), _settings.Resend);
            else Self.Tell(new PollForWork());
        });
        Receive<SearchOver>(_ => Become(Finished));
        IgnoreStale();
    }

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
    }

    private void Finished()
    {
        Timers.CancelAll();
        ReceiveAny(_ => { });
    }

    private void Prepare(SearchSpecData spec)
    {
        _definition = SearchDefinition.From(SearchSpecJson.Deserialize(spec.SpecJson), new DatasetShape(spec.Features, spec.Classes));
        _evaluator = _evaluators.For(_definition);
    }

    private static string Describe(Exception e)
    {
        var inner = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e;
        return $"{inner.GetType().Name}: {inner.Message}";
    }
}
