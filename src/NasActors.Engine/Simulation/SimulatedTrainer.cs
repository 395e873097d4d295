using Akka.Actor;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using static NasActors.Engine.Searches.SearchProtocol;
using static NasActors.Engine.Simulation.SimulationProtocol;

namespace NasActors.Engine.Simulation;

/// <summary>
/// A trainer that speaks the real coordinator protocol (RequestWork → WorkAssigned / NoWorkYet /
/// SearchOver; Heartbeat; ReportResult / ReportFailure → ResultAccepted) but trains in simulated
/// time: it evaluates the trial at once (a table lookup), then asks the driver to wake it when the
/// trial's cost in simulated seconds has passed, heartbeating its lease every lease/3 on the way.
/// It never uses a wall-clock timer. A trial whose evaluation throws is reported failed at once.
/// </summary>
public sealed class SimulatedTrainer : ReceiveActor
{
    private readonly SearchId _searchId;
    private readonly string _trainerId;
    private readonly IActorRef _coordinator;
    private readonly IActorRef _driver;
    private readonly VirtualClock _clock;
    private readonly SearchSpace _space;
    private readonly ITrialEvaluator _evaluator;
    private static readonly TrialContext Context0 = new("", 1, "simulated");

    private int _trialId;
    private int _leaseEpoch;
    private double _trialEnds;
    private double _heartbeatEvery;
    private TrialMetrics? _metrics;

    public SimulatedTrainer(SearchId searchId, string trainerId, IActorRef coordinator, IActorRef driver,
        VirtualClock clock, SearchSpace space, ITrialEvaluator evaluator)
    {
        (_searchId, _trainerId, _coordinator, _driver, _clock, _space, _evaluator) =
            (searchId, trainerId, coordinator, driver, clock, space, evaluator);

        Receive<Poll>(_ => AskForWork());
        Receive<NoWorkYet>(_ => _driver.Tell(new TrainerIdle(_trainerId)));
        Receive<SearchOver>(_ => _driver.Tell(new TrainerDone(_trainerId)));
        Receive<WorkAssigned>(Start);
        Receive<Wake>(_ => OnWake());
        Receive<ResultAccepted>(accepted =>
        {
            _driver.Tell(new TrialAccepted(_trainerId, accepted.TrialId));
            AskForWork();
        });
    }

    public static Props Props(SearchId searchId, string trainerId, IActorRef coordinator, IActorRef driver,
        VirtualClock clock, SearchSpace space, ITrialEvaluator evaluator) =>
        Akka.Actor.Props.Create(() => new SimulatedTrainer(searchId, trainerId, coordinator, driver, clock, space, evaluator));

    protected override void PreStart() => AskForWork();

    private void AskForWork() => _coordinator.Tell(new RequestWork(_searchId, _trainerId, IncludeSpec: false));

    private void Start(WorkAssigned work)
    {
        var trial = work.Trial.ToRequest(_space);
        _trialId = trial.TrialId;
        _leaseEpoch = work.LeaseEpoch;
        try
        {
            var evaluation = _evaluator.EvaluateAsync(trial, Context0, CancellationToken.None);
            // Tabular evaluators complete synchronously; anything else would need wall time, which a replay does not have.
            _metrics = evaluation.IsCompletedSuccessfully ? evaluation.Result : evaluation.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            _coordinator.Tell(new ReportFailure(_searchId, _trainerId, trial.TrialId, _leaseEpoch, $"{e.GetType().Name}: {e.Message}"));
            return;
        }
        _heartbeatEvery = Math.Max(1e-3, work.LeaseSeconds / 3);
        _trialEnds = _clock.Seconds + Math.Max(0, _metrics.Seconds);
        Sleep();
    }

    private void Sleep() =>
        _driver.Tell(new TrainerSleeps(_trainerId, Math.Min(_clock.Seconds + _heartbeatEvery, _trialEnds), _trialId, _trialEnds));

    private void OnWake()
    {
        if (_clock.Seconds >= _trialEnds)
        {
            _coordinator.Tell(new ReportResult(_searchId, _trainerId, _trialId, _leaseEpoch, _metrics!));
            return;
        }
        _coordinator.Tell(new Heartbeat(_searchId, _trainerId, _trialId, _leaseEpoch));
        Sleep();
    }
}
