namespace NasActors.Engine.Supernets;

/// <summary>Events of a supernet shard (manifests in <see cref="SupernetEventSerializer"/>). They hold file references, never weights.</summary>
public interface ISupernetShardEvent;

/// <summary>Where the weights of one version of a block are: <see cref="File"/> is relative to the artifact root.</summary>
public sealed record BlockRef(string Name, long Version, string File);

public static class SupernetShardEvents
{
    public sealed record ShardInitialised(int MaxStaleness, IReadOnlyList<BlockRef> Blocks) : ISupernetShardEvent;

    /// <summary>A push merged into a block: its new version, already written to its file.</summary>
    public sealed record BlockUpdated(BlockRef Block) : ISupernetShardEvent;

    /// <summary>A push refused as too stale (kept so a restarted shard reports the same counts).</summary>
    public sealed record PushRefused(string Block, long BaseVersion, long Version) : ISupernetShardEvent;
}

/// <summary>Snapshot of a shard: the staleness bound, every block's current reference, the counts.</summary>
public sealed record SupernetShardSnapshot(int MaxStaleness, IReadOnlyList<BlockRef> Blocks, long Updates, long Refused);
