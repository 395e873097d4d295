using Akka.Cluster.Sharding;

namespace NasActors.Engine.Members;

/// <summary>Routes member messages; the shard count never changes once data exists.</summary>
public sealed class MemberMessageExtractor() : HashCodeMessageExtractor(ShardCount)
{
    public const int ShardCount = 100;

    public override string? EntityId(object message) => (message as IMemberMessage)?.MemberId.Value;
}
