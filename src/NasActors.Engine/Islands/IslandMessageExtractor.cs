using Akka.Cluster.Sharding;

namespace NasActors.Engine.Islands;

/// <summary>Routes island messages; the shard count never changes once data exists.</summary>
public sealed class IslandMessageExtractor() : HashCodeMessageExtractor(ShardCount)
{
    public const int ShardCount = 100;

    public override string? EntityId(object message) => (message as IIslandMessage)?.IslandId.Value;
}
