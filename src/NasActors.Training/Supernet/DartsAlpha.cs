using NasActors.Core.Spaces;
using NasActors.Core.Strategies.OneShot;
using NasActors.Core.Strategies.Supernet;
using static TorchSharp.torch;

namespace NasActors.Training.Supernet;

/// <summary>
/// DARTS' architecture weights α over the NAS-Bench-201 cell ([edges, ops]) as a tensor and as the block
/// <see cref="DartsSearch.AlphaBlock"/> that shards hold; shared by <see cref="DartsSupernet"/> and <see cref="Nb201OneShot"/>.
/// </summary>
internal static class DartsAlpha
{
    private static readonly long[] Shape = [Nb201Space.Edges, Nb201Space.Operations.Count];

    /// <summary>α at 1e-3 · N(0, 1), as in DARTS: nearly uniform, ties broken by noise.</summary>
    public static Tensor Initial(Generator generator) => randn(Shape, generator: generator) * 1e-3;

    public static BlockWeights ToBlock(Tensor alpha)
    {
        using var a = alpha.detach().contiguous();
        return new BlockWeights([new NamedTensor(DartsSearch.AlphaBlock, a.shape, a.data<float>().ToArray())]);
    }

    /// <summary>The block's one tensor <see cref="DartsSearch.AlphaBlock"/> of shape [edges, ops]; anything else is refused.</summary>
    public static Tensor FromBlock(BlockWeights alpha)
    {
        var t = alpha.Tensors.SingleOrDefault(t => t.Name == DartsSearch.AlphaBlock && t.Shape.SequenceEqual(Shape))
            ?? throw new ArgumentException($"block '{DartsSearch.AlphaBlock}' must hold one tensor '{DartsSearch.AlphaBlock}' of shape [{string.Join(", ", Shape)}]");
        return tensor(t.Values, t.Shape);
    }
}
