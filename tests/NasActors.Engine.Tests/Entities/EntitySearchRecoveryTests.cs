using Akka.TestKit.Xunit2;
using NasActors.Engine.Searches;
using NasActors.Engine.Tests.Support;

namespace NasActors.Engine.Tests.Entities;

/// <summary>A coordinator whose strategy runs as entities, killed mid-search: replay adopts recorded proposals without asking entities.</summary>
public class EntitySearchRecoveryTests() : TestKit(AkkaConfig.InMemory)
{
    [Theory]
    [InlineData(1000)]
    [InlineData(3)]
    public void A_killed_coordinator_recovers_its_ledger_and_buffer_and_finishes_with_the_same_entities(int snapshotEvery)
    {
        var search = new EntitySearch(this, LocalRegions.Start(Sys), new SearchId($"rec-{snapshotEvery}"))
            .Start(TestSpecs.Islands(8, islands: 2, inFlight: 2, snapshotEvery: snapshotEvery), "c1");
        var a = search.Lease("a");
        var b = search.Lease("b");
        search.Complete("b", b.Trial.TrialId, 0.4);
        var c = search.Lease("c");

        search.KillAndRecover("c2");
        search.Complete("a", a.Trial.TrialId, 0.5);
        search.Complete("c", c.Trial.TrialId, 0.6);
        while (search.Status().Phase == SearchPhase.Running)
        {
            var next = search.Lease("d");
            search.Complete("d", next.Trial.TrialId, 0.1);
        }
        var done = search.Status();
        Assert.Equal(8, done.Completed);
        Assert.Equal(c.Trial.TrialId, done.Best!.TrialId);
    }
}
