using NasActors.Core.Spaces;
using NasActors.Core.Strategies.Supernet;
using NasActors.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasActors.Training.Supernet;

/// <summary>
/// A weight-sharing supernet: every choice block holds the weights of its candidates, and
/// <see cref="forward"/> runs the single path set in <see cref="Path"/>. A block is a top-level
/// submodule: every state-dict key <c>&lt;block&gt;.…</c> belongs to block <c>&lt;block&gt;</c>, so blocks
/// export and import one at a time (<see cref="ExportBlock"/>, <see cref="ImportBlock"/>) as the
/// shards that own them need. Float tensors only: BatchNorm's integer batch counter stays local.
/// </summary>
public abstract class SupernetModule : nn.Module<Tensor, Tensor>
{
    protected SupernetModule(string name) : base(name) { }

    /// <summary>The architecture genotype of the path the next forward runs.</summary>
    public Genotype? Path { get; set; }

    /// <summary>Every block in registration order.</summary>
    public IReadOnlyList<string> Blocks => named_children().Select(c => c.name).ToArray();

    public abstract IReadOnlyList<string> BlocksOf(Genotype path);

    /// <inheritdoc cref="Core.Strategies.Supernet.ISupernet.PathKey"/>
    public abstract string PathKey(Genotype path);

    /// <summary>Whether the network normalises with batch statistics (then a subnet's must be recalibrated).</summary>
    public bool HasBatchNorm => modules().Any(m => m is BatchNorm2d or BatchNorm1d);

    /// <summary>A standalone network of <paramref name="path"/> holding copies of the path's weights.</summary>
    public abstract CandidateNetwork Subnet(Genotype path);


    public BlockWeights ExportBlock(string block)
    {
        var tensors = BlockTensors(block).Select(kv =>
        {
            using var cpu = kv.Value.detach().cpu().contiguous();
            return new NamedTensor(kv.Key, cpu.shape, cpu.data<float>().ToArray());
        }).ToArray();
        return new BlockWeights(tensors);
    }

    public void ImportBlock(string block, BlockWeights weights)
    {
        var own = BlockTensors(block);
        if (own.Count != weights.Tensors.Count)
            throw new ArgumentException($"block '{block}' has {own.Count} tensors, the weights {weights.Tensors.Count}");
        using var _ = no_grad();
        foreach (var t in weights.Tensors)
        {
            if (!own.TryGetValue(t.Name, out var target) || !target.shape.SequenceEqual(t.Shape))
                throw new ArgumentException($"block '{block}': no tensor '{t.Name}' of shape [{string.Join(", ", t.Shape)}]");
            using var source = tensor(t.Values, t.Shape);
            target.copy_(source);
        }
    }

    public IReadOnlyDictionary<string, BlockWeights> Export(IEnumerable<string> blocks) => blocks.ToDictionary(b => b, ExportBlock);

    /// <summary>Imports every given block this supernet has.</summary>
    public void Import(IReadOnlyDictionary<string, BlockWeights> weights)
    {
        foreach (var (block, w) in weights) ImportBlock(block, w);
    }

    private Dictionary<string, Tensor> BlockTensors(string block)
    {
        var prefix = block + ".";
        var found = state_dict().Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal) && kv.Value.dtype == ScalarType.Float32)
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        if (found.Count == 0 && !Blocks.Contains(block)) throw new ArgumentException($"{GetType().Name} has no block '{block}'");
        return found;
    }

    /// <summary>Copies every tensor of <paramref name="subnet"/> from this supernet's key <c>map(key)</c>, narrowed to the subnet's shape.</summary>
    protected void CopyInto(nn.Module subnet, Func<string, string> map)
    {
        var own = state_dict();
        using var _ = no_grad();
        foreach (var (key, target) in subnet.state_dict())
        {
            var source = own[map(key)];
            for (var d = 0; d < target.dim(); d++) source = source.narrow(d, 0, target.shape[d]);
            target.copy_(source);
        }
    }
}
