using Akka.Actor;
using Akka.TestKit.Xunit2;
using NasActors.Engine.Searches;
using NasActors.Engine.Searches.Index;
using NasActors.Engine.Tests.Support;
using NasActors.Engine.Trainers;
using static NasActors.Engine.Searches.Index.SearchIndexProtocol;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Engine.Tests.Trainers;

/// <summary>Trainers of a cluster node: no search of their own, they serve what the search index lists, and drain.</summary>
public class ClusterTrainerTests() : TestKit(AkkaConfig.InMemory)
{
    private readonly Dictionary<SearchId, IActorRef> _coordinators = new();

    /// <summary>Stands in for the search shard region: routes by search id.</summary>
    private sealed class Router : ReceiveActor
    {
        public Router(IReadOnlyDictionary<SearchId, IActorRef> coordinators) =>
            Receive<ISearchMessage>(m => coordinators[m.SearchId].Forward(m));
    }

    /// <summary>Stands in for the search index region: lists the searches given.</summary>
    private sealed class Index : ReceiveActor
    {
        public Index(IReadOnlyList<SearchId> active) => Receive<GetActiveSearches>(_ => Sender.Tell(new ActiveSearches(active)));
    }

    private SearchId StartSearch(string id, int trials, double leaseSeconds = 30)
    {
        var searchId = new SearchId(id);
        var coordinator = Sys.ActorOf(SearchCoordinator.Props(id));
        var spec = TestSpecs.Data(TestSpecs.Mlp(trials, "random", leaseSeconds: leaseSeconds));
        coordinator.Tell(new StartSearch(searchId, spec.SpecJson, spec.Features, spec.Classes));
        ExpectMsg<SearchStatus>();
        _coordinators[searchId] = coordinator;
        return searchId;
    }

    private IActorRef StartClusterTrainer(FakeEvaluator evaluator, string id, params SearchId[] active)
    {
        var coordinators = _coordinators;
        var router = Sys.ActorOf(Props.Create(() => new Router(coordinators)));
        var index = Sys.ActorOf(Props.Create(() => new Index(active)));
        return Sys.ActorOf(TrainerActor.ForCluster(router, index, evaluator,
            new TrainerSettings(id, Path.GetTempPath(), 1, PollInterval: TimeSpan.FromMilliseconds(20))), id);
    }

    private SearchStatus AwaitStatus(SearchId id, Func<SearchStatus, bool> condition)
    {
        SearchStatus? status = null;
        AwaitAssert(() =>
        {
            _coordinators[id].Tell(new GetStatus(id, IncludeTrials: true));
            status = ExpectMsg<SearchStatus>();
            Assert.True(condition(status), $"{id}: {status.Phase} {status.Completed}/{status.Budget}, {status.InFlight} in flight");
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));
        return status!;
    }

    [Fact]
    public void A_cluster_trainer_serves_every_running_search_the_index_lists()
    {
        var a = StartSearch("a", trials: 5);
        var b = StartSearch("b", trials: 5);
        var evaluator = new FakeEvaluator();
        StartClusterTrainer(evaluator, "t1", a, b);
        StartClusterTrainer(evaluator, "t2", a, b);
        Assert.Equal(5, AwaitStatus(a, s => s.Phase == SearchPhase.Finished).Completed);
        Assert.Equal(5, AwaitStatus(b, s => s.Phase == SearchPhase.Finished).Completed);
    }

    [Fact]
    public void A_draining_trainer_hands_its_trial_back_as_preempted_and_reports_drained()
    {
        var a = StartSearch("a", trials: 3);
        var evaluator = new FakeEvaluator();
        evaluator.HangOn.Add(1); // trial 1 runs until cancelled; it reports no epochs, so the drain stops it at once
        var trainer = StartClusterTrainer(evaluator, "t1", a);
        AwaitCondition(() => { lock (evaluator.Evaluated) return evaluator.Evaluated.Contains(1); }, TimeSpan.FromSeconds(5));

        trainer.Tell(new DrainTrainer(), TestActor);
        Assert.Equal("t1", ExpectMsg<TrainerDrained>(TimeSpan.FromSeconds(10)).TrainerId);

        // Handed back: queued again for another trainer, not failed, no attempt lost.
        var status = AwaitStatus(a, s => s.Trials!.Single(t => t.TrialId == 1).State == TrialState.Queued);
        Assert.Equal(0, status.Failed);
        Assert.Equal(SearchPhase.Running, status.Phase);
    }

    [Fact]
    public void A_drained_trainer_takes_no_more_work()
    {
        var a = StartSearch("a", trials: 50);
        var evaluator = new FakeEvaluator { Delay = TimeSpan.FromMilliseconds(20) };
        var trainer = StartClusterTrainer(evaluator, "t1", a);
        AwaitCondition(() => { lock (evaluator.Evaluated) return evaluator.Evaluated.Count >= 2; }, TimeSpan.FromSeconds(5));
        trainer.Tell(new DrainTrainer(), TestActor);
        ExpectMsg<TrainerDrained>(TimeSpan.FromSeconds(10));
        int evaluated;
        lock (evaluator.Evaluated) evaluated = evaluator.Evaluated.Count;
        ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        lock (evaluator.Evaluated) Assert.Equal(evaluated, evaluator.Evaluated.Count);
    }
}
