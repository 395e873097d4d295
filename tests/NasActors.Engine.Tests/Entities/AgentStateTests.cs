using NasActors.Engine.Agents;
using NasActors.Engine.Searches;

namespace NasActors.Engine.Tests.Entities;

/// <summary>A MANAS agent's decisions with no actor: one pick per ticket, one update per shared reward, replay.</summary>
public class AgentStateTests
{
    private static readonly AgentId Id = new(new SearchId("s"), 2);
    private readonly List<IAgentEvent> _journal = [];

    private AgentState Started()
    {
        var state = new AgentState(Id);
        Apply(state, state.DecideStart(new AgentSetup("edge-2", 5, 0.2, 11)));
        return state;
    }

    private void Apply(AgentState state, IReadOnlyList<IAgentEvent> events)
    {
        foreach (var e in events)
        {
            _journal.Add(e);
            state.Apply(e);
        }
    }

    [Fact]
    public void A_ticket_is_picked_once_and_asked_again_gets_the_same_pick()
    {
        var state = Started();
        Apply(state, state.DecidePicks([1, 2, 3]));
        var first = state.PicksFor([1, 2, 3]);
        Assert.Equal(3, first.Count);
        Assert.Empty(state.DecidePicks([2, 3]));
        Assert.Equal(first, state.PicksFor([1, 2, 3]));
        Assert.All(first, p => Assert.InRange(p.Probability, 0.2 / 5, 1));
    }

    [Fact]
    public void The_shared_reward_is_learned_once_and_a_null_reward_teaches_nothing()
    {
        var state = Started();
        Apply(state, state.DecidePicks([1, 2]));
        var pick = state.PicksFor([1]).Single();

        Apply(state, state.DecideReward(1, 1.0));
        Assert.Empty(state.DecideReward(1, 1.0));
        Apply(state, state.DecideReward(2, null));

        var view = state.View();
        Assert.Equal(1, view.Updates);
        Assert.Equal(pick.Choice, view.Best);
        Assert.Empty(view.Awaiting);
        Assert.Empty(state.DecidePicks([1])); // a rewarded ticket is never picked again
    }

    [Fact]
    public void Replaying_the_journal_or_restoring_a_snapshot_gives_the_same_distribution()
    {
        var state = Started();
        for (var t = 1; t <= 12; t++)
        {
            Apply(state, state.DecidePicks([t, t + 1]));
            Apply(state, state.DecideReward(t, t % 3 / 2.0));
        }

        var replayed = new AgentState(Id);
        foreach (var e in _journal) replayed.Apply(e);
        AssertSame(state.View(), replayed.View());

        var restored = new AgentState(Id);
        restored.Restore(state.ToSnapshot());
        AssertSame(state.View(), restored.View());
        Assert.Equal(state.DecidePicks([20]).Single(), restored.DecidePicks([20]).Single());
    }

    internal static void AssertSame(AgentView expected, AgentView actual)
    {
        Assert.Equal(expected.Updates, actual.Updates);
        Assert.Equal(expected.LogWeights, actual.LogWeights);
        Assert.Equal(expected.Awaiting, actual.Awaiting);
        Assert.Equal(expected.AgentState, actual.AgentState);
    }
}
