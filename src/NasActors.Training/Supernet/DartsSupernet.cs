using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using NasActors.Core.Strategies.OneShot;
using NasActors.Core.Strategies.Supernet;
using NasActors.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasActors.Training.Supernet;

/// <summary>
/// First-order DARTS' supernet as the round machinery sees it (<see cref="ISupernet"/>): the NAS-Bench-201 supernet's
/// blocks plus α as one more block, <see cref="DartsSearch.AlphaBlock"/> ([edges, ops], held by a shard like any other).
/// A round ignores the path it is given: it trains the whole continuous relaxation, so every round reads and pushes
/// every block and α. Each of its batches is one alternation (<see cref="SupernetBatchSteps.DartsAlternation"/>, as in
/// <see cref="Nb201OneShot.DartsStep"/>): a weight step on a training batch with α fixed, then an α step on a validation
/// batch with the weights fixed (no unrolled step).
/// Both Adams (α's with β = (0.5, 0.999) and the spec's weight decay) live for one round: shards keep weights, not moments.
/// </summary>
public sealed class DartsSupernet : ISupernet, IDisposable
{
    private readonly TorchSupernet _weights;
    private readonly DartsOptions _options;
    private readonly int _batchSize;

    public DartsSupernet(SearchDefinition definition, DartsOptions options)
    {
        _options = options;
        _batchSize = definition.Spec.Training.BatchSize;
        _weights = new TorchSupernet(definition, options.RoundOptions, Nb201OneShot.NetworkOptions(definition, options.Network));
        if (!_weights.WithModule((module, _) => module is Nb201Supernet))
        {
            _weights.Dispose();
            throw new ArgumentException($"first-order DARTS needs a plain nb201 space, not '{definition.Space.Name}'");
        }
        Blocks = [.. _weights.Blocks, DartsSearch.AlphaBlock];
    }

    public IReadOnlyList<string> Blocks { get; }

    /// <summary>Every block: DARTS trains the mixture of all ops, never one path.</summary>
    public IReadOnlyList<string> BlocksOf(Genotype path) => Blocks;

    public string PathKey(Genotype path) => _weights.PathKey(path);

    /// <summary>The supernet's weights, and α at 1e-3 · N(0, 1) as in DARTS: nearly uniform, ties broken by noise.</summary>
    public IReadOnlyDictionary<string, BlockWeights> Initialise(long seed)
    {
        var blocks = new Dictionary<string, BlockWeights>(_weights.Initialise(seed), StringComparer.Ordinal);
        using var generator = new Generator(unchecked((ulong)seed + 1));
        using var alpha = DartsAlpha.Initial(generator);
        blocks[DartsSearch.AlphaBlock] = DartsAlpha.ToBlock(alpha);
        return blocks;
    }

    public SupernetSteps Train(Genotype path, IReadOnlyDictionary<string, BlockWeights> weights, int batches, long seed, CancellationToken cancellationToken) =>
        _weights.WithModule((module, data) =>
        {
            var supernet = (Nb201Supernet)module;
            supernet.Import(_weights.Blocks.ToDictionary(b => b, b => weights[b]));
            using var alpha = new Parameter(DartsAlpha.FromBlock(weights[DartsSearch.AlphaBlock]));
            using var weightSteps = optim.Adam(supernet.parameters(), _options.WeightLearningRate);
            using var alphaSteps = optim.Adam([alpha], _options.AlphaLearningRate, beta1: 0.5, beta2: 0.999, weight_decay: _options.AlphaWeightDecay);
            using var generator = new Generator(unchecked((ulong)seed));
            double lossSum = 0;
            var samples = 0;
            for (var b = 0; b < batches; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (loss, _, size) = SupernetBatchSteps.DartsAlternation(supernet, alpha, weightSteps, alphaSteps, data, _batchSize, generator);
                lossSum += loss;
                samples += size;
            }
            var trained = new Dictionary<string, BlockWeights>(supernet.Export(_weights.Blocks), StringComparer.Ordinal)
            {
                [DartsSearch.AlphaBlock] = DartsAlpha.ToBlock(alpha)
            };
            return new SupernetSteps(trained, samples, lossSum / Math.Max(1, batches));
        });

    /// <summary>A single path's accuracy with the supernet's weights (α is not used); DARTS itself ranks by α.</summary>
    public double Score(Genotype path, IReadOnlyDictionary<string, BlockWeights> weights, CancellationToken cancellationToken) =>
        _weights.Score(path, weights, cancellationToken);

    public void Dispose() => _weights.Dispose();
}
