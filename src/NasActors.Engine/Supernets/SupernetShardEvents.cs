namespace NasActors.Engine.Supernets;

/// <summary>Events of a supernet shard (manifests in <see cref="SupernetEventSerializer"/>). They hold file references, never weights.</summary>
public interface ISupernetShardEvent;

/// <summary>Where the weights of one version of a block are: <see cref="File"/> is relative to the artifact root.</summary>
public sealed record BlockRef(string Name, long Version, string File);

public static class SupernetShardEvents
{
    public sealed record ShardInitialised(int MaxStaleness, IReadOnlyList<BlockRef> Blocks) : ISupernetShardEvent;

    /// <summary>
    /// A push merged into a block: its new version, already written to its file. <paramref name="Round"/>: the SPOS
    /// round that pushed it (v2), so a re-sent or re-run round's push is not merged twice; null in v1 and for pushes without one.
    /// </summary>
    public sealed record BlockUpdated(BlockRef Block, int? Round = null) : ISupernetShardEvent;

    /// <summary>A push refused as too stale (kept so a restarted shard reports the same counts); <paramref name="Round"/> as in <see cref="BlockUpdated"/>.</summary>
    public sealed record PushRefused(string Block, long BaseVersion, long Version, int? Round = null) : ISupernetShardEvent;
}

/// <summary>
/// Snapshot of a shard: the staleness bound, every block's current reference, the counts, and (v2) per block the
/// rounds whose push it has decided (merged or refused); v1 snapshots have none.
/// </summary>
public sealed record SupernetShardSnapshot(int MaxStaleness, IReadOnlyList<BlockRef> Blocks, long Updates, long Refused,
    IReadOnlyDictionary<string, IReadOnlyList<int>>? Rounds = null);
