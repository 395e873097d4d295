using Akka.Cluster.Sharding;
using NasActors.Engine.Searches;

namespace NasActors.Engine.Supernets;

/// <summary>Typed id of supernet shard <paramref name="Index"/> of a search; entity id <c>&lt;search&gt;/supernet-shard-&lt;i&gt;</c>.</summary>
public sealed record SupernetShardId(SearchId Search, int Index)
{
    private const string Marker = "/supernet-shard-";

    public string Value => $"{Search.Value}{Marker}{Index}";

    public static SupernetShardId Parse(string value)
    {
        var at = value.LastIndexOf(Marker, StringComparison.Ordinal);
        if (at < 0 || !int.TryParse(value.AsSpan(at + Marker.Length), out var index))
            throw new ArgumentException($"'{value}' is not a supernet shard id (<search>{Marker}<n>)");
        return new SupernetShardId(new SearchId(value[..at]), index);
    }

    /// <summary>The shard of <paramref name="shards"/> that owns a block: a stable hash of its name, so every node agrees.</summary>
    public static SupernetShardId Owning(SearchId search, string block, int shards) =>
        new(search, (int)(NasActors.Core.Spaces.Genotype.StableHash(block) % (ulong)shards));

    public override string ToString() => Value;
}

/// <summary>Every message routed to a supernet shard through the "supernet-shard" region.</summary>
public interface ISupernetShardMessage
{
    SupernetShardId ShardId { get; }
}

/// <summary>Registry key of the "supernet-shard" shard region.</summary>
public sealed class SupernetShardRegion
{
    public const string Name = "supernet-shard";
}

/// <summary>Routes supernet shard messages; the shard count never changes once data exists.</summary>
public sealed class SupernetShardMessageExtractor() : HashCodeMessageExtractor(ShardCount)
{
    public const int ShardCount = 100;

    public override string? EntityId(object message) => (message as ISupernetShardMessage)?.ShardId.Value;
}
