using Akka.TestKit.Xunit2;
using NasActors.Engine.Controllers;
using NasActors.Engine.Searches;
using NasActors.Engine.Tests.Support;

namespace NasActors.Engine.Tests.Entities;

/// <summary>A REINFORCE search through its controller entity, with the trials' results reported in different orders.</summary>
public class ReinforceOutOfOrderTests() : TestKit(AkkaConfig.InMemory)
{
    private const int Trials = 6;
    private int _runs;

    /// <summary>Leases all trials (sampled under one policy), reports them in <paramref name="order"/>, returns the final policy.</summary>
    private PolicyView Run(int[] order, int maxStaleness = 1000, double decay = 1.0)
    {
        var search = new EntitySearch(this, LocalRegions.Start(Sys, $"r{_runs}"), new SearchId($"rl-{_runs++}"))
            .Start(TestSpecs.Reinforce(Trials, inFlight: Trials, maxStaleness, decay), $"coordinator-{_runs}");
        var leased = Enumerable.Range(0, Trials).Select(i => search.Lease($"t{i}").Trial.TrialId).ToArray();
        Assert.Equal([1, 2, 3, 4, 5, 6], leased);
        foreach (var trial in order) search.Complete("t", trial, 0.1 * trial);
        Assert.Equal(SearchPhase.Finished, search.Status().Phase);

        PolicyView? policy = null;
        AwaitAssert(() =>
        {
            policy = search.AskEntity<PolicyView>(search.Regions.Controllers, new ControllerProtocol.GetPolicy(new ControllerId(search.Id)));
            Assert.Equal(Trials, policy.RewardsReceived);
        }, TimeSpan.FromSeconds(10));
        return policy!;
    }

    private static double Difference(PolicyView a, PolicyView b) =>
        a.Logits.Zip(b.Logits).SelectMany(p => p.First.Zip(p.Second, (x, y) => Math.Abs(x - y))).Max();

    [Fact]
    public void Out_of_order_rewards_give_the_in_order_policy_when_staleness_is_allowed()
    {
        var inOrder = Run([1, 2, 3, 4, 5, 6]);
        var outOfOrder = Run([5, 2, 6, 1, 4, 3]);
        Assert.True(Difference(inOrder, outOfOrder) < 1e-12, $"policies differ by {Difference(inOrder, outOfOrder)}");
        Assert.Equal(Trials, outOfOrder.Version);
    }

    [Fact]
    public void Out_of_order_rewards_give_a_different_policy_when_stale_ones_are_down_weighted_or_dropped()
    {
        Assert.True(Difference(Run([1, 2, 3, 4, 5, 6], decay: 0.5), Run([6, 5, 4, 3, 2, 1], decay: 0.5)) > 1e-6);
        var dropped = Run([6, 5, 4, 3, 2, 1], maxStaleness: 0);
        Assert.Equal(1, dropped.Version);
        Assert.True(Difference(Run([1, 2, 3, 4, 5, 6], maxStaleness: 0), dropped) > 1e-6);
    }
}
