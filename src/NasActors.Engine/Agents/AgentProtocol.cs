using NasActors.Engine.Searches;

namespace NasActors.Engine.Agents;

/// <summary>What a MANAS agent is told and what it answers.</summary>
public static class AgentProtocol
{
    /// <summary>Idempotent: the first one fixes the agent's decision and exploration rate.</summary>
    public sealed record StartAgent(AgentId AgentId, AgentSetup Setup) : IAgentMessage;

    /// <summary>
    /// Picks a choice for each ticket it has not picked for yet (a ticket asked again gets the same pick);
    /// answered with <see cref="SearchProtocol.PicksOffered"/>.
    /// </summary>
    public sealed record RequestPicks(AgentId AgentId, IReadOnlyList<int> Tickets) : IAgentMessage;

    /// <summary>The reward every agent shares for a ticket, in [0, 1]; null: learn nothing (failed, or the decision did not matter).</summary>
    public sealed record ShareReward(AgentId AgentId, int Ticket, double? Reward) : IAgentMessage;

    public sealed record GetAgent(AgentId AgentId) : IAgentMessage;
}

/// <param name="Decision">the decision this agent chooses (e.g. an NB201 edge)</param>
/// <param name="Choices">its number of choices</param>
/// <param name="Gamma">EXP3 exploration rate</param>
/// <param name="Seed">seed of this agent's picks</param>
/// <param name="LearningRate">EXP3 step on the log-weights; null (setups journaled before it existed): Auer et al.'s γ/K</param>
/// (left out when null, so setups written before it re-serialize to the same bytes)
public sealed record AgentSetup(string Decision, int Choices, double Gamma, long Seed,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] double? LearningRate = null);

/// <summary>Answer to <see cref="AgentProtocol.GetAgent"/>.</summary>
public sealed record AgentView(AgentId AgentId, string? Decision, int Updates, int Best, IReadOnlyList<double> LogWeights, IReadOnlyList<int> Awaiting, string? AgentState);
