using Akka.Actor;
using Akka.TestKit.Xunit2;
using NasActors.Engine.Islands;
using NasActors.Engine.Searches;
using NasActors.Engine.Tests.Support;

namespace NasActors.Engine.Tests.Entities;

/// <summary>An evolution search as two islands with three trainers, one of which dies holding a trial.</summary>
public class IslandSearchTests() : TestKit(AkkaConfig.InMemory)
{
    [Fact]
    public void A_killed_trainers_lease_expires_its_trial_is_reissued_and_every_ledger_counts_it_once()
    {
        const int budget = 16;
        var search = new EntitySearch(this, LocalRegions.Start(Sys), new SearchId("islands"))
            .Start(TestSpecs.Islands(budget, islands: 2, inFlight: 2, migrationEvery: 3, leaseSeconds: 1), "coordinator");
        var stuck = new FakeEvaluator();
        foreach (var id in Enumerable.Range(1, 100)) stuck.HangOn.Add(id);
        var working = new FakeEvaluator();
        var doomed = search.Trainer(stuck, "t1");
        search.Trainer(working, "t2");
        search.Trainer(working, "t3");

        AwaitCondition(() => { lock (stuck.Evaluated) return stuck.Evaluated.Count == 1; }, TimeSpan.FromSeconds(10));
        var lost = stuck.Evaluated[0];
        Watch(doomed);
        Sys.Stop(doomed);
        ExpectTerminated(doomed);

        var done = search.AwaitPhase(SearchPhase.Finished);
        Assert.Equal(budget, done.Completed);
        Assert.Equal(budget, done.Trials!.Count);
        var reissued = done.Trials.Single(t => t.TrialId == lost);
        Assert.Equal(TrialState.Completed, reissued.State);
        Assert.Equal(2, reissued.Leases); // leased to t1, expired, leased again
        lock (working.Evaluated) Assert.Single(working.Evaluated, lost);

        // Each island heard each of its children's outcomes once: together they evaluated the budget.
        AwaitAssert(() =>
        {
            var islands = Enumerable.Range(0, 2).Select(i => search.AskEntity<IslandView>(search.Regions.Islands,
                new IslandProtocol.GetIsland(new IslandId(search.Id, i)))).ToArray();
            Assert.Equal(budget, islands.Sum(i => i.Evaluated));
            Assert.All(islands, i => Assert.True(i.Evaluated > 0));
            Assert.True(islands.Sum(i => i.MigrantsAccepted) > 0);
        }, TimeSpan.FromSeconds(10));
    }
}
