namespace NasActors.Engine.Agents;

/// <summary>Events of a MANAS agent (manifests in <see cref="Serialization.EntityEventSerializer"/>).</summary>
public interface IAgentEvent;

public static class AgentEvents
{
    public sealed record AgentStarted(AgentSetup Setup) : IAgentEvent;

    public sealed record ChoicePicked(int Ticket, int Choice, double Probability) : IAgentEvent;

    public sealed record RewardLearned(int Ticket, double? Reward) : IAgentEvent;
}

/// <summary>Snapshot of an agent: Core's agent state plus picks awaiting their reward and tickets already rewarded.</summary>
public sealed record AgentSnapshot(AgentSetup Setup, string Agent, IReadOnlyList<AgentEvents.ChoicePicked> Awaiting, IReadOnlyList<int> Rewarded);
