using Akka.Cluster.Sharding;

namespace NasActors.Engine.Searches;

/// <summary>
/// Routes search messages to their coordinator entity. The shard count is fixed forever
/// once data exists (about 10× the largest expected node count).
/// </summary>
public sealed class SearchMessageExtractor() : HashCodeMessageExtractor(ShardCount)
{
    public const int ShardCount = 100;

    public override string? EntityId(object message) => (message as ISearchMessage)?.SearchId.Value;
}
