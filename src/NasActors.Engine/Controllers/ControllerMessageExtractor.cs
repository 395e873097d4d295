using Akka.Cluster.Sharding;

namespace NasActors.Engine.Controllers;

/// <summary>Routes controller messages; the shard count never changes once data exists.</summary>
public sealed class ControllerMessageExtractor() : HashCodeMessageExtractor(ShardCount)
{
    public const int ShardCount = 100;

    public override string? EntityId(object message) => (message as IControllerMessage)?.ControllerId.Value;
}
