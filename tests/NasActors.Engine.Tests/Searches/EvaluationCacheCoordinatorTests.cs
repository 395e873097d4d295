using Akka.Actor;
using Akka.TestKit.Xunit2;
using NasActors.Core.Specs;
using NasActors.Engine.Searches;
using NasActors.Engine.Tests.Support;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Engine.Tests.Searches;

/// <summary>
/// <c>budget.cache</c> through the coordinator actor and its journal: a trainer is never sent a repeated network, the
/// search ends with its budget of distinct evaluations, and a killed coordinator recovers the cached trials.
/// </summary>
public class EvaluationCacheCoordinatorTests() : TestKit(AkkaConfig.InMemory)
{
    private static readonly SearchId Id = new("cache-1");
    private const string Cell = "|nor_conv_3x3~0|+|skip_connect~0|none~1|+|none~0|nor_conv_1x1~1|none~2|";
    private const string IsomorphicCell = "|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_3x3~1|+|none~0|nor_conv_1x1~1|none~2|";

    private IActorRef Coordinator(string name) => Sys.ActorOf(SearchCoordinator.Props(Id.Value, leaseCheckInterval: TimeSpan.Zero), name);

    [Fact]
    public void A_trainer_is_never_leased_a_network_already_evaluated_and_a_recovered_coordinator_keeps_the_cached_trials()
    {
        var spec = TestSpecs.Mlp(3, "evolution") with
        {
            Space = new Nb201SpaceSpec("nb201", false),
            Budget = new BudgetSpec(3, 5) { Cache = true },
            Enqueue = [Cell, Cell, IsomorphicCell]
        };
        var data = TestSpecs.Data(spec);
        var coordinator = Coordinator("c");
        coordinator.Tell(new StartSearch(Id, data.SpecJson, data.Features, data.Classes));
        ExpectMsg<SearchStatus>();

        var leased = new List<int>();
        coordinator.Tell(new RequestWork(Id, "t", IncludeSpec: false));
        var work = ExpectMsg<WorkAssigned>();
        while (true)
        {
            leased.Add(work.Trial.TrialId);
            coordinator.Tell(new ReportResult(Id, "t", work.Trial.TrialId, work.LeaseEpoch, new(0.5 + work.Trial.TrialId / 100.0, 0.4, 10, 1), NextWork: true));
            ExpectMsg<ResultAccepted>();
            var next = ExpectMsg<object>();
            if (next is SearchOver) break;
            work = (WorkAssigned)next;
        }
        Assert.Equal(1, leased[0]);
        Assert.DoesNotContain(2, leased); // Cell again
        Assert.DoesNotContain(3, leased); // isomorphic to Cell
        Assert.Equal(3, leased.Count);

        coordinator.Tell(new GetStatus(Id, IncludeTrials: true));
        var status = ExpectMsg<SearchStatus>();
        Assert.Equal((SearchPhase.Finished, 3), (status.Phase, status.Completed));
        Assert.True(status.Cached >= 2);
        Assert.Equal([1, 1], status.Trials!.Where(t => t.TrialId is 2 or 3).Select(t => t.CachedFrom));

        Watch(coordinator);
        coordinator.Tell(PoisonPill.Instance);
        ExpectTerminated(coordinator);
        var recovered = Coordinator("c2");
        recovered.Tell(new GetStatus(Id, IncludeTrials: true));
        var again = ExpectMsg<SearchStatus>();
        Assert.Equal((status.Completed, status.Cached, status.Best!.TrialId), (again.Completed, again.Cached, again.Best!.TrialId));
        Assert.Equal(status.Trials!.Select(t => (t.TrialId, t.CachedFrom, t.Objective)), again.Trials!.Select(t => (t.TrialId, t.CachedFrom, t.Objective)));
    }
}
