using NasActors.Core.Data;
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
/// One NAS-Bench-201 supernet trained in this process for the gradient and bandit one-shot methods:
/// single-path weight steps (SPOS' phase 1, weight-sharing MANAS), DARTS' alternating weight and α
/// steps, and a path's accuracy on one validation batch (MANAS' reward). Weights and α export as
/// <see cref="BlockWeights"/> (α as the block <see cref="AlphaBlock"/>), the form supernet shards hold.
/// Not thread-safe; mini-batches are drawn from the seed it is given.
/// </summary>
public sealed class Nb201OneShot : IDisposable
{
    public const string AlphaBlock = DartsSearch.AlphaBlock;
    private static readonly int Ops = Nb201Space.Operations.Count;

    private readonly SearchSpace _space;
    private readonly Nb201Supernet _module;
    private readonly SupernetData _data;
    private readonly Generator _generator;
    private readonly int _batchSize;
    private readonly Parameter _alpha;
    private readonly Adam _weights;
    private Adam? _alphaOptimizer;

    public Nb201OneShot(SearchDefinition definition, OneShotNetwork network, double weightLearningRate, long seed)
    {
        var networks = NetworkFactory.For(definition, definition.Spec.Dataset.Image, NetworkOptions(definition, network));
        if (networks.Architecture is not Nb201Space nb201 || networks.Space is JointSpace)
            throw new ArgumentException($"one-shot DARTS and weight-sharing MANAS need a plain nb201 space, not '{definition.Space.Name}'");
        _space = definition.Space;
        _batchSize = definition.Spec.Training.BatchSize;
        _data = new SupernetData(definition, networks, networks.Image);
        _module = new Nb201Supernet(nb201, networks.Nb201);
        _generator = new Generator(unchecked((ulong)seed));
        CandidateNetwork.Initialise(_module, _generator);
        _alpha = new Parameter(DartsAlpha.Initial(_generator));
        _weights = optim.Adam(_module.parameters(), weightLearningRate);
        Network = networks.Nb201;
    }

    /// <summary>The network size the supernet has, which the retrained cells must have too.</summary>
    public Nb201ModelOptions Network { get; }

    public Nb201Supernet Module => _module;

    /// <summary>The NB201 network options of a one-shot search: the spec's data at the strategy's size.</summary>
    public static Nb201ModelOptions NetworkOptions(SearchDefinition definition, OneShotNetwork network)
    {
        var image = NetworkFactory.For(definition).Image ?? throw new ArgumentException("a NAS-Bench-201 search needs image data");
        var input = network.Resolution > 0 ? image with { Height = network.Resolution, Width = network.Resolution } : image;
        return new Nb201ModelOptions(input, definition.Shape.Classes, network.Channels, network.CellsPerStage);
    }

    /// <summary>Trains the single path for <paramref name="batches"/> training batches; returns the mean loss.</summary>
    public double TrainPath(Genotype path, int batches)
    {
        _module.Path = _space.Architecture(path);
        _module.train();
        double loss = 0;
        for (var b = 0; b < batches; b++) loss += SupernetBatchSteps.PathStep(_module, _weights, _data, _batchSize, _generator).Loss;
        return loss / Math.Max(1, batches);
    }

    /// <summary>The path's accuracy on one random validation batch, batch-norm on the batch's own statistics (the supernet's running ones mix every path).</summary>
    public double ValidationBatchAccuracy(Genotype path)
    {
        _module.Path = _space.Architecture(path);
        return SupernetBatchSteps.ValidationBatchAccuracy(_module, _data, _batchSize, _generator);
    }

    /// <summary>
    /// One first-order DARTS alternation (<see cref="SupernetBatchSteps.DartsAlternation"/>): a weight step on a training
    /// batch with α fixed, then an α step on a validation batch with the weights fixed (∂L_val/∂α at the current weights,
    /// no unrolled step). Both optimisers last as long as this object. Returns both losses.
    /// </summary>
    public (double TrainLoss, double ValidationLoss) DartsStep(DartsOptions options)
    {
        _alphaOptimizer ??= optim.Adam([_alpha], options.AlphaLearningRate, beta1: 0.5, beta2: 0.999, weight_decay: options.AlphaWeightDecay);
        var (trainLoss, validationLoss, _) = SupernetBatchSteps.DartsAlternation(_module, _alpha, _weights, _alphaOptimizer, _data, _batchSize, _generator);
        return (trainLoss, validationLoss);
    }

    /// <summary>softmax(α): one row per edge, one column per op in <see cref="Nb201Space.Operations"/>' order.</summary>
    public double[][] AlphaProbabilities()
    {
        using var p = softmax(_alpha.detach(), 1).contiguous();
        var flat = p.data<float>().ToArray();
        return Enumerable.Range(0, Nb201Space.Edges).Select(e => flat.Skip(e * Ops).Take(Ops).Select(v => (double)v).ToArray()).ToArray();
    }

    /// <summary>The gradient α has now (null before any α step): tests check it flows.</summary>
    public float[]? AlphaGradient => _alpha.grad is { } g ? g.contiguous().data<float>().ToArray() : null;

    public BlockWeights ExportAlpha() => DartsAlpha.ToBlock(_alpha);

    public void ImportAlpha(BlockWeights weights)
    {
        using var _ = no_grad();
        using var source = DartsAlpha.FromBlock(weights);
        _alpha.copy_(source);
    }

    /// <summary>Every block's weights (what a shard would hold); α is separate (<see cref="ExportAlpha"/>).</summary>
    public IReadOnlyDictionary<string, BlockWeights> ExportWeights() => _module.Export(_module.Blocks);

    public void Dispose()
    {
        _weights.Dispose();
        _alphaOptimizer?.Dispose();
        _alpha.Dispose();
        _module.Dispose();
        _generator.Dispose();
        _data.Dispose();
    }
}
