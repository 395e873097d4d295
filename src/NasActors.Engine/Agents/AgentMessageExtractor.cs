using Akka.Cluster.Sharding;

namespace NasActors.Engine.Agents;

/// <summary>Routes agent messages; the shard count never changes once data exists.</summary>
public sealed class AgentMessageExtractor() : HashCodeMessageExtractor(ShardCount)
{
    public const int ShardCount = 100;

    public override string? EntityId(object message) => (message as IAgentMessage)?.AgentId.Value;
}
