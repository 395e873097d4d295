using NasActors.Core.Strategies.Reinforcement;
using NasActors.Engine.Controllers;
using NasActors.Engine.Searches;
using NasActors.Engine.Tests.Support;

namespace NasActors.Engine.Tests.Entities;

/// <summary>The RL controller's decisions with no actor: K samples ahead, rewards in any order, staleness, replay.</summary>
public class ControllerStateTests
{
    private static readonly ControllerId Id = new(new SearchId("s"));
    private readonly List<IControllerEvent> _journal = [];

    private ControllerState Started(int inFlight, int maxStaleness = 1000, double decay = 1.0)
    {
        var state = new ControllerState(Id);
        Apply(state, state.DecideStart(new ControllerSetup(TestSpecs.Data(TestSpecs.Reinforce(100, inFlight, maxStaleness, decay)), inFlight)));
        return state;
    }

    private void Apply(ControllerState state, IReadOnlyList<IControllerEvent> events)
    {
        foreach (var e in events)
        {
            _journal.Add(e);
            state.Apply(e);
        }
    }

    private static double Reward(int ticket) => 0.1 * ticket;

    /// <summary>Samples six architectures under one policy, then delivers their rewards in the given order.</summary>
    private PolicyView Run(IEnumerable<int> order, int maxStaleness = 1000, double decay = 1.0)
    {
        var state = Started(inFlight: 6, maxStaleness, decay);
        Apply(state, state.DecideSamples());
        foreach (var ticket in order) Apply(state, state.DecideReward(ticket, Reward(ticket)));
        return state.View();
    }

    [Fact]
    public void The_controller_samples_K_ahead_and_samples_again_once_a_reward_arrives()
    {
        var state = Started(inFlight: 3);
        Apply(state, state.DecideSamples());
        Assert.Equal([1, 2, 3], state.View().Outstanding);
        Assert.Empty(state.DecideSamples());

        Apply(state, state.DecideReward(2, 0.7));
        Assert.Empty(state.DecideReward(2, 0.7)); // duplicate
        Assert.Equal(1, state.View().Version);
        Assert.Single(state.DecideSamples());
    }

    [Fact]
    public void Rewards_out_of_order_give_the_in_order_policy_when_staleness_is_allowed()
    {
        var inOrder = Run([1, 2, 3, 4, 5, 6]);
        var shuffled = Run([4, 6, 1, 5, 3, 2]);

        Assert.Equal(6, shuffled.Version);
        AssertLogits(inOrder.Logits, shuffled.Logits, equal: true);
        Assert.NotEqual(0, inOrder.Logits.SelectMany(l => l).Select(Math.Abs).Max()); // it did learn
    }

    [Fact]
    public void Stale_rewards_are_down_weighted_or_dropped_so_order_matters_when_staleness_is_not_allowed()
    {
        AssertLogits(Run([1, 2, 3, 4, 5, 6], decay: 0.5).Logits, Run([6, 5, 4, 3, 2, 1], decay: 0.5).Logits, equal: false);

        var dropped = Run([6, 5, 4, 3, 2, 1], maxStaleness: 0);
        Assert.Equal(1, dropped.Version); // only the first reward to arrive was fresh enough
        AssertLogits(Run([1, 2, 3, 4, 5, 6], maxStaleness: 0).Logits, dropped.Logits, equal: false);
    }

    [Fact]
    public void Replaying_the_journal_or_restoring_a_snapshot_gives_the_same_policy()
    {
        var state = Started(inFlight: 4);
        for (var round = 0; round < 5; round++)
        {
            Apply(state, state.DecideSamples());
            var outstanding = state.View().Outstanding;
            Apply(state, state.DecideReward(outstanding[^1], Reward(outstanding[^1])));
            Apply(state, state.DecideReward(outstanding[0], null)); // a failure
        }
        Apply(state, state.DecideSamples());

        var replayed = new ControllerState(Id);
        foreach (var e in _journal) replayed.Apply(e);
        AssertSame(state.View(), replayed.View());

        var restored = new ControllerState(Id);
        restored.Restore(state.ToSnapshot());
        AssertSame(state.View(), restored.View());
    }

    internal static void AssertSame(PolicyView expected, PolicyView actual)
    {
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Baseline, actual.Baseline);
        Assert.Equal(expected.Outstanding, actual.Outstanding);
        Assert.Equal(expected.RewardsReceived, actual.RewardsReceived);
        Assert.Equal(expected.StrategyState, actual.StrategyState); // policy, baseline, RNG, samples: all of it
    }

    private static void AssertLogits(IReadOnlyList<IReadOnlyList<double>> a, IReadOnlyList<IReadOnlyList<double>> b, bool equal)
    {
        // Sums of the same terms in another order differ in the last bits only.
        var largest = a.Zip(b).SelectMany(p => p.First.Zip(p.Second, (x, y) => Math.Abs(x - y))).Max();
        if (equal) Assert.True(largest < 1e-12, $"logits differ by {largest}");
        else Assert.True(largest > 1e-6, $"logits should differ, largest difference {largest}");
    }
}
