using NasActors.Core.Spaces;
using NasActors.Core.Strategies.Supernet;

namespace NasActors.Engine.Tests.Supernets;

/// <summary>
/// The common core of the NB201-shaped fakes (no TorchSharp) for the one-shot methods that rank without scoring (DARTS by
/// α, weight-sharing MANAS by its agents): every block starts at [0, 0], a round adds [1, 1] to every block of its path,
/// and op <see cref="Favoured"/>(e) is the one the search should find on edge e. A subclass says which blocks a path has,
/// and what else a round does (<see cref="Initial"/>, <see cref="Step"/>, <see cref="RewardOf"/>).
/// </summary>
internal abstract class Nb201FakeSupernet : ISupernet
{
    public abstract IReadOnlyList<string> Blocks { get; }

    public abstract IReadOnlyList<string> BlocksOf(Genotype path);

    public string PathKey(Genotype path) => path.Canonical;

    public IReadOnlyDictionary<string, BlockWeights> Initialise(long seed) => Blocks.ToDictionary(b => b, Initial);

    public virtual SupernetSteps Train(Genotype path, IReadOnlyDictionary<string, BlockWeights> weights, int batches, long seed, CancellationToken cancellationToken) =>
        new(BlocksOf(path).ToDictionary(b => b, b => weights[b].PlusScaled(Step(b), 1f)), batches * 8, 0.5, RewardOf(path.Values));

    public double Score(Genotype path, IReadOnlyDictionary<string, BlockWeights> weights, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("this method ranks without scoring paths; nothing is scored");

    /// <summary>The op a round favours on <paramref name="edge"/>, so what the search must find is known.</summary>
    public static int Favoured(int edge) => (edge + 1) % 5;

    protected virtual BlockWeights Initial(string block) => FakeSupernet.Block(0, 0);

    /// <summary>What one round adds to <paramref name="block"/>.</summary>
    protected virtual BlockWeights Step(string block) => FakeSupernet.Block(1, 1);

    /// <summary>The round's <see cref="SupernetSteps.Reward"/>: none unless the method learns from one.</summary>
    protected virtual double? RewardOf(IReadOnlyList<double> path) => null;
}
