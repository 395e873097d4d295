using Akka.Actor;
using Akka.TestKit.Xunit2;
using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Engine.Tests.Support;
using NasActors.Engine.Trainers;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Engine.Tests.Trainers;

/// <summary>A trainer holding queued leases (lease-ahead), against a probe standing in for its search.</summary>
public class TrainerLeaseAheadTests() : TestKit(AkkaConfig.InMemory)
{
    private static readonly SearchId Search = new("ahead-t");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly SearchSpecData _spec = TestSpecs.Data(TestSpecs.Mlp(20));
    private readonly List<TrialRecord> _records = [];

    private WorkAssigned Lease(int trialId)
    {
        if (_records.Count == 0)
        {
            var strategy = SearchDefinition.From(SearchSpecJson.Deserialize(_spec.SpecJson), new DatasetShape(_spec.Features, _spec.Classes)).CreateStrategy();
            for (var id = 1; id <= 10; id++) _records.Add(TrialRecord.From(strategy.Ask(id)!));
        }
        return new(Search, _records[trialId - 1], 1, LeaseSeconds: 30, Spec: trialId == 1 ? _spec : null);
    }

    private IActorRef Trainer(IActorRef searches, FakeEvaluator evaluator) =>
        Sys.ActorOf(TrainerActor.Props(searches, Search, evaluator,
            new TrainerSettings("t1", Path.GetTempPath(), 1, RetryFirst: TimeSpan.FromMinutes(1), RetryMax: TimeSpan.FromMinutes(1))));

    private static ResultAccepted Accepted(int trialId) => new(Search, trialId, 1, Counted: true);

    private void AwaitPhase(IActorRef trainer, TrainerPhase phase, int evaluated, FakeEvaluator evaluator) =>
        AwaitAssert(() =>
        {
            trainer.Tell(new GetTrainerState());
            Assert.Equal(phase, ExpectMsg<TrainerState>().Phase);
            lock (evaluator.Evaluated) Assert.Equal(evaluated, evaluator.Evaluated.Count);
        }, Patience, TimeSpan.FromMilliseconds(50));

    [Fact]
    public void Queued_trials_run_back_to_back_and_results_that_end_while_a_report_is_in_flight_go_together_in_the_next()
    {
        var searches = CreateTestProbe();
        var evaluator = new FakeEvaluator();
        var trainer = Trainer(searches.Ref, evaluator);
        searches.ExpectMsg<RequestWork>(Patience);
        trainer.Tell(new WorkBatch(Search, 0, [], [Lease(1), Lease(2), Lease(3), Lease(4)], Over: false), searches.Ref);

        var first = searches.ExpectMsg<ReportResults>(Patience);
        Assert.Equal((1, true), (first.Batch, first.NextWork));
        Assert.Equal([1], first.Results.Select(r => r.TrialId));
        // Unanswered, the trainer keeps training its queue and holds the results back.
        AwaitPhase(trainer, TrainerPhase.Reporting, evaluated: 4, evaluator);
        searches.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        // The answer lists every lease the trainer holds (2-4 ended already) and one more; the results held back go in one report.
        trainer.Tell(new WorkBatch(Search, 1, [Accepted(1)], [Lease(2), Lease(3), Lease(4), Lease(5)], Over: false), searches.Ref);
        var second = searches.ExpectMsg<ReportResults>(Patience);
        Assert.Equal(2, second.Batch);
        Assert.Equal([2, 3, 4], second.Results.Select(r => r.TrialId));

        AwaitPhase(trainer, TrainerPhase.Reporting, evaluated: 5, evaluator);
        trainer.Tell(new WorkBatch(Search, 2, [Accepted(2), Accepted(3), Accepted(4)], [Lease(5)], Over: false), searches.Ref);
        Assert.Equal([5], searches.ExpectMsg<ReportResults>(Patience).Results.Select(r => r.TrialId));
        trainer.Tell(new WorkBatch(Search, 3, [Accepted(5)], [], Over: true), searches.Ref);

        AwaitPhase(trainer, TrainerPhase.Drained, evaluated: 5, evaluator);
        lock (evaluator.Evaluated) Assert.Equal([1, 2, 3, 4, 5], evaluator.Evaluated); // each once: known leases are not run again
    }

    [Fact]
    public void A_drain_hands_the_queued_leases_back_as_preempted_at_once()
    {
        var searches = CreateTestProbe();
        var evaluator = new FakeEvaluator();
        evaluator.HangOn.Add(1); // until cancelled; it reports no epochs, so the drain stops it at once
        var trainer = Trainer(searches.Ref, evaluator);
        searches.ExpectMsg<RequestWork>(Patience);
        trainer.Tell(new WorkBatch(Search, 0, [], [Lease(1), Lease(2), Lease(3)], Over: false), searches.Ref);
        AwaitPhase(trainer, TrainerPhase.Training, evaluated: 1, evaluator);

        trainer.Tell(new DrainTrainer(), TestActor);

        var handedBack = new[] { searches.ExpectMsg<ReportFailure>(Patience), searches.ExpectMsg<ReportFailure>(Patience), searches.ExpectMsg<ReportFailure>(Patience) };
        Assert.Equal([1, 2, 3], handedBack.Select(f => f.TrialId).Order());
        Assert.All(handedBack, f => Assert.Equal(FailureKind.Preempted, f.Kind));
        trainer.Tell(new ResultAccepted(Search, 1, 1, Counted: true), searches.Ref);
        Assert.Equal("t1", ExpectMsg<TrainerDrained>(Patience).TrainerId);
        lock (evaluator.Evaluated) Assert.Equal([1], evaluator.Evaluated);
    }

    [Theory]
    [InlineData(null)] // auto: one lease at first, then many for these 5 ms trials
    [InlineData(4)]
    public void Trainers_leasing_ahead_complete_the_budget_exactly_with_each_trial_recorded_once(int? depth)
    {
        var id = new SearchId($"ahead-{depth?.ToString() ?? "auto"}");
        var coordinator = Sys.ActorOf(SearchCoordinator.Props(id.Value));
        var mlp = TestSpecs.Mlp(40);
        var spec = TestSpecs.Data(mlp with { Execution = mlp.Execution with { LeaseAhead = depth } });
        coordinator.Tell(new StartSearch(id, spec.SpecJson, spec.Features, spec.Classes));
        ExpectMsg<SearchStatus>();
        var evaluator = new FakeEvaluator();
        foreach (var name in new[] { "a", "b" })
            Sys.ActorOf(TrainerActor.Props(coordinator, id, evaluator, new TrainerSettings(name, Path.GetTempPath(), 1, PollInterval: TimeSpan.FromMilliseconds(20))), name);

        SearchStatus? status = null;
        AwaitAssert(() =>
        {
            coordinator.Tell(new GetStatus(id, IncludeTrials: true));
            status = ExpectMsg<SearchStatus>();
            Assert.Equal(SearchPhase.Finished, status.Phase);
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));

        Assert.Equal((40, 0, 40), (status!.Completed, status.Failed, status.Trials!.Count));
        Assert.All(status.Trials, t => Assert.Equal((TrialState.Completed, 1), (t.State, t.Leases)));
        lock (evaluator.Evaluated) Assert.Equal(40, evaluator.Evaluated.Distinct().Count());
    }
}
