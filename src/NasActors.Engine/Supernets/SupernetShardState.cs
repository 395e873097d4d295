using NasActors.Core.Strategies.Supernet;
using static NasActors.Engine.Supernets.SupernetShardEvents;

namespace NasActors.Engine.Supernets;

/// <summary>
/// A supernet shard with no actor around it: each block's current version and the file holding it,
/// plus the weights of those versions once loaded.
/// <para><b>Merge rule — version-checked delta accumulation.</b> A trainer fetches block b at version v,
/// trains, and pushes delta = trained − fetched with base version v. With lag = current version − v:
/// lag ≤ MaxStaleness → weights += delta and the version goes up by one (so concurrent pushes from
/// paths that touch different slices of a block both land, as in asynchronous SGD); lag &gt;
/// MaxStaleness → refused, the weights are unchanged and the trainer's steps on that block are lost.
/// Pushes are merged one at a time in arrival order, so the result is deterministic for an order.</para>
/// <para><b>Exactly once per round.</b> A push that names its SPOS round is decided once per (round, block): the
/// round is recorded in the event that merged or refused it, and a later push of the same round for that block
/// (a re-sent push, a round re-run after its worker died) is answered as a duplicate without touching the weights.</para>
/// Decisions return a plan (events, files to write, replies); the actor writes the files, persists
/// the events, and only then applies them and caches the new weights.
/// </summary>
public sealed class SupernetShardState(SupernetShardId id)
{
    private readonly SortedDictionary<string, BlockRef> _blocks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BlockWeights> _weights = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<int>> _rounds = new(StringComparer.Ordinal);

    public SupernetShardId Id { get; } = id;
    public int? MaxStaleness { get; private set; }
    public bool Initialised => MaxStaleness is not null;
    public long Updates { get; private set; }
    public long Refused { get; private set; }
    public IReadOnlyDictionary<string, long> Versions => _blocks.ToDictionary(b => b.Key, b => b.Value.Version);

    /// <summary>Per block, the rounds whose push was decided (merged or refused).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<int>> Rounds =>
        _rounds.ToDictionary(r => r.Key, r => (IReadOnlyList<int>)r.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>Blocks whose current weights are not in memory (after recovery: every block).</summary>
    public IReadOnlyList<BlockRef> Unloaded => _blocks.Values.Where(b => !_weights.ContainsKey(b.Name)).ToArray();

    /// <summary>Artifact-root-relative file of one version of a block.</summary>
    public string FileOf(string block, long version) =>
        Path.Combine("supernets", Uri.EscapeDataString(Id.Search.Value), $"shard-{Id.Index}", Uri.EscapeDataString(block), $"v{version}.bin");

    public ShardPlan DecideInitialise(int maxStaleness, IReadOnlyDictionary<string, byte[]> blocks)
    {
        if (Initialised) return ShardPlan.Empty;
        var refs = blocks.Keys.Order(StringComparer.Ordinal).Select(b => new BlockRef(b, 0, FileOf(b, 0))).ToArray();
        var weights = blocks.ToDictionary(b => b.Key, b => BlockWeights.FromBytes(b.Value));
        return new ShardPlan([new ShardInitialised(maxStaleness, refs)], refs.Select(r => new FileWrite(r.File, blocks[r.Name])).ToArray(), [], weights);
    }

    public ShardPlan DecidePush(IReadOnlyList<BlockPush> pushes, int? round = null)
    {
        var events = new List<ISupernetShardEvent>();
        var writes = new List<FileWrite>();
        var results = new List<PushResult>();
        var merged = new Dictionary<string, (long Version, BlockWeights Weights)>(StringComparer.Ordinal);
        foreach (var push in pushes)
        {
            if (!_blocks.TryGetValue(push.Name, out var current))
            {
                results.Add(new PushResult(push.Name, -1, $"shard {Id} has no block '{push.Name}'"));
                continue;
            }
            var (version, weights) = merged.TryGetValue(push.Name, out var m) ? m : (current.Version, Weights(push.Name));
            if (round is { } r && (HasDecided(push.Name, r) || events.Any(e => Decides(e, push.Name, r))))
            {
                results.Add(new PushResult(push.Name, version, null, Duplicate: true));
                continue;
            }
            var lag = version - push.BaseVersion;
            if (lag < 0)
            {
                results.Add(new PushResult(push.Name, version, $"base version {push.BaseVersion} is newer than the block's {version}"));
                continue;
            }
            if (lag > MaxStaleness)
            {
                events.Add(new PushRefused(push.Name, push.BaseVersion, version, round));
                results.Add(new PushResult(push.Name, version, $"stale: based on version {push.BaseVersion}, the block is at {version} (at most {MaxStaleness} behind)"));
                continue;
            }
            var next = weights.PlusScaled(BlockWeights.FromBytes(push.Delta), 1f);
            var block = new BlockRef(push.Name, version + 1, FileOf(push.Name, version + 1));
            merged[push.Name] = (block.Version, next);
            events.Add(new BlockUpdated(block, round));
            writes.Add(new FileWrite(block.File, next.ToBytes()));
            results.Add(new PushResult(push.Name, block.Version, null));
        }
        return new ShardPlan(events, writes, results, merged.ToDictionary(m => m.Key, m => m.Value.Weights));
    }

    public void Apply(ISupernetShardEvent e)
    {
        switch (e)
        {
            case ShardInitialised started:
                MaxStaleness = started.MaxStaleness;
                foreach (var block in started.Blocks) Replace(block);
                break;
            case BlockUpdated updated:
                Replace(updated.Block);
                Record(updated.Block.Name, updated.Round);
                Updates++;
                break;
            case PushRefused refused:
                Record(refused.Block, refused.Round);
                Refused++;
                break;
            default:
                throw new ArgumentException($"unknown supernet shard event {e.GetType().Name}");
        }
    }

    /// <summary>Keeps the weights of a block's current version in memory (other versions are ignored).</summary>
    public void Cache(string block, long version, BlockWeights weights)
    {
        if (_blocks.TryGetValue(block, out var current) && current.Version == version) _weights[block] = weights;
    }

    public IReadOnlyList<VersionedBlock> Fetch(IEnumerable<string> blocks) =>
        blocks.Where(_blocks.ContainsKey).Select(b => new VersionedBlock(b, _blocks[b].Version, Weights(b).ToBytes())).ToArray();

    public SupernetShardView View() => new(Id, Versions, Updates, Refused);

    public SupernetShardSnapshot ToSnapshot() => new(MaxStaleness ?? 0, _blocks.Values.ToArray(), Updates, Refused, Rounds);

    public void Restore(SupernetShardSnapshot snapshot)
    {
        MaxStaleness = snapshot.MaxStaleness;
        foreach (var block in snapshot.Blocks) Replace(block);
        Updates = snapshot.Updates;
        Refused = snapshot.Refused;
        foreach (var (block, rounds) in snapshot.Rounds ?? new Dictionary<string, IReadOnlyList<int>>())
            foreach (var round in rounds) Record(block, round);
    }

    private bool HasDecided(string block, int round) => _rounds.TryGetValue(block, out var rounds) && rounds.Contains(round);

    private static bool Decides(ISupernetShardEvent e, string block, int round) => e switch
    {
        BlockUpdated u => u.Round == round && u.Block.Name == block,
        PushRefused r => r.Round == round && r.Block == block,
        _ => false
    };

    private void Record(string block, int? round)
    {
        if (round is not { } r) return;
        if (!_rounds.TryGetValue(block, out var rounds)) _rounds[block] = rounds = [];
        rounds.Add(r);
    }

    private void Replace(BlockRef block)
    {
        if (_blocks.TryGetValue(block.Name, out var old) && old.Version != block.Version) _weights.Remove(block.Name);
        _blocks[block.Name] = block;
    }

    private BlockWeights Weights(string block) =>
        _weights.TryGetValue(block, out var w) ? w : throw new InvalidOperationException($"shard {Id}: block '{block}' is not loaded");
}

public sealed record FileWrite(string File, byte[] Bytes);

/// <summary>What a decision asks the actor to do: write the files, persist the events, then cache the weights and reply.</summary>
public sealed record ShardPlan(
    IReadOnlyList<ISupernetShardEvent> Events,
    IReadOnlyList<FileWrite> Writes,
    IReadOnlyList<PushResult> Results,
    IReadOnlyDictionary<string, BlockWeights> Weights)
{
    public static ShardPlan Empty { get; } = new([], [], [], new Dictionary<string, BlockWeights>());
}
