using NasActors.Core.Spaces;
using NasActors.Core.Strategies.Supernet;

namespace NasActors.Engine.Tests.Supernets;

/// <summary>
/// A supernet without TorchSharp: a block per MLP layer plus a head, each one tensor of two floats;
/// training a path adds 1 to every value of its blocks, so a block's weights count the steps that
/// reached it. From call <see cref="HoldFromCall"/> on, training waits for <see cref="Release"/> (or cancellation).
/// </summary>
internal sealed class FakeSupernet(MlpSpace space) : ISupernet
{
    private int _calls;

    public int HoldFromCall { get; init; } = int.MaxValue;
    public ManualResetEventSlim Release { get; } = new(false);
    public SemaphoreSlim Held { get; } = new(0);
    public int Calls => _calls;

    public IReadOnlyList<string> Blocks { get; } = ["layer1", "layer2", "layer3", "head"];

    public IReadOnlyList<string> BlocksOf(Genotype path) =>
        [.. Enumerable.Range(1, space.Depth(path)).Select(k => $"layer{k}"), "head"];

    /// <summary>The learning rate does not change the path.</summary>
    public string PathKey(Genotype path) => string.Join('|', path.Values.SkipLast(1));

    public IReadOnlyDictionary<string, BlockWeights> Initialise(long seed) =>
        Blocks.ToDictionary(b => b, b => Block(seed % 7, 0));

    public SupernetSteps Train(Genotype path, IReadOnlyDictionary<string, BlockWeights> weights, int batches, long seed, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _calls) >= HoldFromCall)
        {
            Held.Release();
            Release.Wait(cancellationToken);
        }
        var trained = BlocksOf(path).ToDictionary(b => b, b => weights[b].PlusScaled(Block(1, 1), 1f));
        return new SupernetSteps(trained, batches * 8, 0.5);
    }

    public double Score(Genotype path, IReadOnlyDictionary<string, BlockWeights> weights, CancellationToken cancellationToken) =>
        (space.Activation(path) == "gelu" ? 0.5 : 0) + space.Width(path, 0) / 1000.0 + (path.Hash % 100) / 1e5;

    /// <summary>A small MLP space: depth 1–3, widths 16–128, three activations.</summary>
    public static MlpSpace Space() => new(new MlpSpaceOptions(
        [1, 2, 3], [16, 32, 64, 128], ["relu", "gelu", "tanh"], [0.0, 0.1],
        new LogUniformDecision("lr", 1e-4, 1e-1), InputFeatures: 10, Classes: 3));

    public static BlockWeights Block(float a, float b) => new([new NamedTensor("w", [2], [a, b])]);

    public static float[] Values(byte[] bytes) => BlockWeights.FromBytes(bytes).Tensors[0].Values;
}
