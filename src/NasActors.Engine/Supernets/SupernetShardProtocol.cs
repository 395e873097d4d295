namespace NasActors.Engine.Supernets;

/// <summary>What a supernet shard is told and what it answers. Weights travel as <see cref="Core.Strategies.Supernet.BlockWeights"/> bytes.</summary>
public static class SupernetShardProtocol
{
    /// <summary>Idempotent: the first one fixes the shard's blocks (at version 0) and its staleness bound; answered <see cref="ShardReady"/>.</summary>
    public sealed record InitialiseShard(SupernetShardId ShardId, int MaxStaleness, IReadOnlyDictionary<string, byte[]> Blocks) : ISupernetShardMessage;

    /// <param name="Rounds">per block, the rounds whose push the shard has decided (so a restarted supernet driver skips rounds already in)</param>
    public sealed record ShardReady(SupernetShardId ShardId, IReadOnlyDictionary<string, long> Versions, IReadOnlyDictionary<string, IReadOnlyList<int>>? Rounds = null);

    /// <summary>Answered <see cref="BlocksFetched"/> with the current version of each block asked for.</summary>
    public sealed record FetchBlocks(SupernetShardId ShardId, IReadOnlyList<string> Blocks) : ISupernetShardMessage;

    public sealed record BlocksFetched(SupernetShardId ShardId, IReadOnlyList<VersionedBlock> Blocks);

    /// <summary>
    /// Deltas (trained minus fetched weights) of blocks fetched at <see cref="BlockPush.BaseVersion"/>;
    /// answered <see cref="PushAnswered"/> once the accepted ones are durable. With a <paramref name="Round"/>, a block
    /// whose push of that round the shard already decided is answered as before and not merged again: pushes are
    /// idempotent per (round, block), so a worker may re-send an unanswered push and a re-run round adds nothing twice.
    /// </summary>
    public sealed record PushBlocks(SupernetShardId ShardId, IReadOnlyList<BlockPush> Pushes, int? Round = null) : ISupernetShardMessage;

    public sealed record PushAnswered(SupernetShardId ShardId, IReadOnlyList<PushResult> Results);

    public sealed record GetShard(SupernetShardId ShardId) : ISupernetShardMessage;
}

public sealed record VersionedBlock(string Name, long Version, byte[] Weights);

public sealed record BlockPush(string Name, long BaseVersion, byte[] Delta);

/// <param name="Version">the block's version after the push (unchanged when refused)</param>
/// <param name="Refusal">why it was refused; null when accepted</param>
/// <param name="Duplicate">the shard had already decided this block's push of the same round: nothing merged again</param>
public sealed record PushResult(string Name, long Version, string? Refusal, bool Duplicate = false)
{
    public bool Accepted => Refusal is null;
}

/// <summary>Answer to <see cref="SupernetShardProtocol.GetShard"/>: each block's version, and accepted/refused push counts.</summary>
public sealed record SupernetShardView(SupernetShardId ShardId, IReadOnlyDictionary<string, long> Versions, long Updates, long Refused);
