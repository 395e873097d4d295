using Akka.Actor;
using Akka.TestKit.Xunit2;
using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Engine.Tests.Support;
using NasActors.Engine.Trainers;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Engine.Tests.Trainers;

/// <summary>Trainers under faults: infrastructure errors, a search that cannot run, hung trials, lost messages.</summary>
public class TrainerFaultTests() : TestKit(AkkaConfig.InMemory)
{
    private static readonly SearchId Id = new("faults");

    private IActorRef StartSearch(SearchSpec spec)
    {
        var coordinator = Sys.ActorOf(SearchCoordinator.Props(Id.Value));
        var data = TestSpecs.Data(spec);
        coordinator.Tell(new StartSearch(Id, data.SpecJson, data.Features, data.Classes));
        ExpectMsg<SearchStatus>();
        return coordinator;
    }

    private IActorRef StartTrainer(IActorRef searches, IEvaluatorProvider evaluators, string id, TimeSpan? grace = null) =>
        Sys.ActorOf(TrainerActor.Props(searches, Id, evaluators, new TrainerSettings(id, Path.GetTempPath(), 1,
            PollInterval: TimeSpan.FromMilliseconds(20), RetryFirst: TimeSpan.FromMilliseconds(50), RetryMax: TimeSpan.FromMilliseconds(200),
            LostLeaseGrace: grace)), id);

    private SearchStatus AwaitPhase(IActorRef coordinator, SearchPhase phase)
    {
        SearchStatus? status = null;
        AwaitAssert(() =>
        {
            coordinator.Tell(new GetStatus(Id, IncludeTrials: true), TestActor);
            status = ExpectMsg<SearchStatus>();
            Assert.Equal(phase, status.Phase);
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));
        return status!;
    }

    [Fact]
    public void An_infrastructure_fault_hands_the_trial_back_and_it_is_retried_under_a_new_epoch_without_a_failure()
    {
        var coordinator = StartSearch(TestSpecs.Mlp(4, maxFailures: 0));
        var evaluator = new ScriptedEvaluator((trial, context, attempt) =>
            trial.TrialId == 2 && attempt == 1 ? throw new InfrastructureException("disk full while saving a checkpoint") : null);
        StartTrainer(coordinator, evaluator, "t1");
        var status = AwaitPhase(coordinator, SearchPhase.Finished);
        Assert.Equal(4, status.Completed);
        Assert.Equal(0, status.Failed);
        var second = status.Trials!.Single(t => t.TrialId == 2);
        Assert.Equal(2, second.Leases);
        Assert.Equal(2, second.LeaseEpoch);
        Assert.Equal([1, 2], evaluator.EpochsOf(2));
    }

    [Fact]
    public void A_search_that_cannot_run_on_the_trainer_fails_once_with_the_reason_and_the_trainer_stops()
    {
        var coordinator = StartSearch(TestSpecs.Mlp(4));
        var provider = new ThrowingProvider();
        StartTrainer(coordinator, provider, "t1");
        var status = AwaitPhase(coordinator, SearchPhase.Failed);
        Assert.Contains("dataset has 5 features; the spec expects 4", status.Message);
        Assert.Contains("cannot run", status.Message);
        Assert.Equal(0, status.Failed);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(1, provider.Calls); // no restart loop
    }

    [Fact]
    public void A_hung_trial_loses_its_lease_and_a_trainer_whose_evaluation_ignores_cancellation_is_wedged_until_it_ends()
    {
        var spec = TestSpecs.Mlp(3, leaseSeconds: 3) is var s ? s with { Execution = s.Execution with { TrialTimeoutSeconds = 1 } } : null!;
        var coordinator = StartSearch(spec);
        var release = new TaskCompletionSource<TrialMetrics>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The first attempt of trial 1 hangs without progress and ignores its cancellation token (a stuck native call).
        var evaluator = new ScriptedEvaluator((trial, _, attempt) => trial.TrialId == 1 && attempt == 1 ? release.Task : null);
        Sys.EventStream.Subscribe(TestActor, typeof(TrainerWedged));
        StartTrainer(coordinator, evaluator, "t1", grace: TimeSpan.FromMilliseconds(200));

        var wedged = ExpectMsg<TrainerWedged>(TimeSpan.FromSeconds(15));
        Assert.Equal(("t1", 1), (wedged.TrainerId, wedged.TrialId));
        // Wedged: the device may still be busy, so no new work is taken.
        var evaluated = evaluator.Calls;
        ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        Assert.Equal(evaluated, evaluator.Calls);

        release.SetResult(new TrialMetrics(0.99, 0.1, 10, 1));
        var status = AwaitPhase(coordinator, SearchPhase.Finished);
        Assert.Equal(3, status.Completed);
        var first = status.Trials!.Single(t => t.TrialId == 1);
        Assert.Equal(2, first.LeaseEpoch); // the revoked attempt's late result did not count
        Assert.NotEqual(0.99, first.Metrics!.ValidationAccuracy);
    }

    [Fact]
    public void A_trainer_whose_requests_and_reports_go_unanswered_retries_with_back_off_until_the_coordinator_answers()
    {
        var coordinator = StartSearch(TestSpecs.Mlp(3));
        var proxy = Sys.ActorOf(Props.Create(() => new DroppingProxy(coordinator, 3, 1)));
        StartTrainer(proxy, new ScriptedEvaluator((_, _, _) => null), "t1");
        var status = AwaitPhase(coordinator, SearchPhase.Finished);
        Assert.Equal(3, status.Completed);
        proxy.Tell("dropped?", TestActor);
        Assert.Equal((3, 1), ExpectMsg<(int, int)>());
    }

    /// <summary>Stands in for a coordinator that restarted: loses the first requests and reports sent to it.</summary>
    private sealed class DroppingProxy : ReceiveActor
    {
        public DroppingProxy(IActorRef coordinator, int requestsToDrop, int reportsToDrop)
        {
            var (requests, reports) = (0, 0);
            Receive<string>(_ => Sender.Tell((requests, reports)));
            Receive<RequestWork>(r => requests < requestsToDrop, _ => requests++);
            Receive<ReportResult>(r => reports < reportsToDrop, _ => reports++);
            ReceiveAny(m => coordinator.Forward(m));
        }
    }

    /// <summary>Runs a script per evaluation (null: score the trial); records the lease epoch of each attempt.</summary>
    private sealed class ScriptedEvaluator(Func<TrialRequest, TrialContext, int, Task<TrialMetrics>?> script) : ITrialEvaluator, IEvaluatorProvider
    {
        private readonly List<(int Trial, int Epoch)> _attempts = [];

        public int Calls { get { lock (_attempts) return _attempts.Count; } }

        public IReadOnlyList<int> EpochsOf(int trialId) { lock (_attempts) return _attempts.Where(a => a.Trial == trialId).Select(a => a.Epoch).ToArray(); }

        public ITrialEvaluator For(SearchDefinition definition) => this;

        public Task<TrialMetrics> EvaluateAsync(TrialRequest trial, TrialContext context, CancellationToken cancellationToken)
        {
            int attempt;
            lock (_attempts)
            {
                _attempts.Add((trial.TrialId, context.LeaseEpoch));
                attempt = _attempts.Count(a => a.Trial == trial.TrialId);
            }
            return script(trial, context, attempt) ?? Task.FromResult(FakeEvaluator.Score(trial));
        }
    }

    private sealed class ThrowingProvider : IEvaluatorProvider
    {
        private int _calls;
        public int Calls => Volatile.Read(ref _calls);

        public ITrialEvaluator For(SearchDefinition definition)
        {
            Interlocked.Increment(ref _calls);
            throw new InvalidDataException("dataset has 5 features; the spec expects 4");
        }
    }
}
