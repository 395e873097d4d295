using NasActors.Core.Spaces;

namespace NasActors.Core.Strategies.Supernet;

/// <summary>
/// A weight-sharing supernet over a search space, as the actors that train and score it see it
/// (the TorchSharp side implements it; tests use fakes). Weights are split into named choice blocks
/// (<see cref="Blocks"/>): a single path (a genotype) uses some of them (<see cref="BlocksOf"/>).
/// Every call works on its own copy of the weights it is given, so calls may run concurrently.
/// </summary>
public interface ISupernet
{
    /// <summary>Every block, in a fixed order.</summary>
    IReadOnlyList<string> Blocks { get; }

    /// <summary>The blocks the single path <paramref name="path"/> reads and trains.</summary>
    IReadOnlyList<string> BlocksOf(Genotype path);

    /// <summary>
    /// What tells paths apart: genotypes that differ only in decisions the supernet does not see (an MLP's
    /// learning rate, its dropout at evaluation) share a key, hence an inherited-weight score.
    /// </summary>
    string PathKey(Genotype path);

    /// <summary>Initial weights of every block, drawn from <paramref name="seed"/>.</summary>
    IReadOnlyDictionary<string, BlockWeights> Initialise(long seed);

    /// <summary>
    /// Trains the path for <paramref name="batches"/> mini-batches (drawn from <paramref name="seed"/>)
    /// starting from <paramref name="weights"/> (at least the path's blocks) and returns the path's blocks after.
    /// </summary>
    SupernetSteps Train(Genotype path, IReadOnlyDictionary<string, BlockWeights> weights, int batches, long seed, CancellationToken cancellationToken);

    /// <summary>
    /// Validation accuracy of the path with inherited weights (batch-norm statistics recalibrated on a
    /// few training batches first where the network has batch norm).
    /// </summary>
    double Score(Genotype path, IReadOnlyDictionary<string, BlockWeights> weights, CancellationToken cancellationToken);
}

/// <param name="Weights">the path's blocks after training</param>
/// <param name="Samples">training examples seen</param>
/// <param name="Loss">mean training loss over the batches</param>
/// <param name="Reward">the path's accuracy on a validation batch after the steps, in [0, 1] (weight-sharing MANAS' reward); null: not measured</param>
public sealed record SupernetSteps(IReadOnlyDictionary<string, BlockWeights> Weights, int Samples, double Loss, double? Reward = null);
