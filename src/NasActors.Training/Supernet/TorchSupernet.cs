using System.Collections.Concurrent;
using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using NasActors.Core.Strategies.Supernet;
using NasActors.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasActors.Training.Supernet;

/// <summary>
/// <see cref="ISupernet"/> with TorchSharp on the search's dataset: single-path SGD steps and
/// inherited-weight scoring. Each call rents a supernet module of its own from a pool (modules are
/// not thread-safe), loads the blocks it is given, works, and exports; so concurrent workers in one
/// process never share tensors. Mini-batches are drawn from the seed each call is given.
/// </summary>
public sealed class TorchSupernet : ISupernet, IDisposable
{
    private readonly SearchSpace _space;
    private readonly NetworkFactory _networks;
    private readonly SposOptions _options;
    private readonly int _batchSize;
    private readonly SupernetData _data;
    private readonly ConcurrentBag<SupernetModule> _pool = [];

    public TorchSupernet(SearchDefinition definition, SposOptions options, Nb201ModelOptions? nb201 = null)
    {
        _space = definition.Space;
        _options = options;
        _batchSize = definition.Spec.Training.BatchSize;
        var image = definition.Spec.Dataset.Image;
        _networks = NetworkFactory.For(definition, image, nb201);
        _data = new SupernetData(definition, _networks, _networks.Image);
        using var probe = Create();
        Blocks = probe.Blocks;
    }

    public IReadOnlyList<string> Blocks { get; }

    /// <summary>Weight-sharing MANAS: after a round's steps, the path's accuracy on one validation batch is its <see cref="SupernetSteps.Reward"/>.</summary>
    public bool MeasuresReward { get; init; }

    public IReadOnlyList<string> BlocksOf(Genotype path)
    {
        var module = Rent();
        try { return module.BlocksOf(_space.Architecture(path)); }
        finally { _pool.Add(module); }
    }

    public string PathKey(Genotype path)
    {
        var module = Rent();
        try { return module.PathKey(_space.Architecture(path)); }
        finally { _pool.Add(module); }
    }

    public IReadOnlyDictionary<string, BlockWeights> Initialise(long seed)
    {
        using var module = Create();
        using var generator = new Generator(unchecked((ulong)seed));
        CandidateNetwork.Initialise(module, generator);
        return module.Export(module.Blocks);
    }

    public SupernetSteps Train(Genotype path, IReadOnlyDictionary<string, BlockWeights> weights, int batches, long seed, CancellationToken cancellationToken)
    {
        var module = Rent();
        try
        {
            var architecture = _space.Architecture(path);
            var blocks = module.BlocksOf(architecture);
            module.Import(blocks.ToDictionary(b => b, b => weights[b]));
            module.Path = architecture;
            module.train();
            // Adam, as the trials train; its moments live only for this round: the shards keep weights, not optimiser state.
            using var optimizer = optim.Adam(module.parameters(), _options.SupernetLearningRate);
            using var generator = new Generator(unchecked((ulong)seed));
            double lossSum = 0;
            var samples = 0;
            for (var b = 0; b < batches; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (loss, size) = SupernetBatchSteps.PathStep(module, optimizer, _data, _batchSize, generator);
                lossSum += loss;
                samples += size;
            }
            var trained = module.Export(blocks);
            // Weight-sharing MANAS' reward, as bench/SupernetBench's in-process MANAS measures it (Nb201OneShot.ValidationBatchAccuracy).
            var reward = MeasuresReward ? SupernetBatchSteps.ValidationBatchAccuracy(module, _data, _batchSize, generator) : (double?)null;
            return new SupernetSteps(trained, samples, lossSum / Math.Max(1, batches), reward);
        }
        finally
        {
            _pool.Add(module);
        }
    }

    public double Score(Genotype path, IReadOnlyDictionary<string, BlockWeights> weights, CancellationToken cancellationToken)
    {
        var module = Rent();
        try
        {
            var architecture = _space.Architecture(path);
            module.Import(module.BlocksOf(architecture).ToDictionary(b => b, b => weights[b]));
            module.Path = architecture;
            if (module.HasBatchNorm) Recalibrate(module, cancellationToken);
            module.eval();
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            long correct = 0, count = _data.ValidationX.shape[0];
            for (long start = 0; start < count; start += 512)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var size = Math.Min(512, count - start);
                var logits = module.forward(_data.ValidationX.narrow(0, start, size));
                correct += logits.argmax(1).eq(_data.ValidationY.narrow(0, start, size)).sum().item<long>();
            }
            return (double)correct / count;
        }
        finally
        {
            _pool.Add(module);
        }
    }

    /// <summary>
    /// The baseline the actors are measured against: one module in this process trained path after path
    /// (<paramref name="pathOf"/> gives round r's path) with one optimiser and no block transfer at all.
    /// Returns the examples seen and the seconds it took.
    /// </summary>
    public (long Samples, double Seconds) TrainInProcess(int rounds, Func<int, Genotype> pathOf, long seed, CancellationToken cancellationToken)
    {
        var module = Rent();
        try
        {
            using var generator = new Generator(unchecked((ulong)seed));
            CandidateNetwork.Initialise(module, generator);
            module.train();
            using var optimizer = optim.Adam(module.parameters(), _options.SupernetLearningRate);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            long samples = 0;
            for (var round = 0; round < rounds; round++)
            {
                module.Path = _space.Architecture(pathOf(round));
                for (var b = 0; b < _options.BatchesPerRound; b++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    samples += SupernetBatchSteps.PathStep(module, optimizer, _data, _batchSize, generator).Size;
                }
            }
            return (samples, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            _pool.Add(module);
        }
    }

    /// <summary>
    /// Batch-norm statistics of the path, not of the supernet's mixture of paths (SPOS, §3.3): reset,
    /// then a cumulative average over the first calibration batches of the training rows.
    /// </summary>
    private void Recalibrate(SupernetModule module, CancellationToken cancellationToken)
    {
        var norms = module.modules().OfType<BatchNorm2d>().ToArray();
        foreach (var bn in norms)
        {
            bn.reset_running_stats();
            bn.momentum = null;
        }
        module.train();
        using var noGrad = no_grad();
        for (var b = 0; b < _options.CalibrationBatches; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var start = b * (long)_batchSize % _data.TrainCount;
            module.forward(_data.TrainX.narrow(0, start, Math.Min(_batchSize, _data.TrainCount - start)));
        }
        foreach (var bn in norms) bn.momentum = 0.1;
    }

    /// <summary>Runs <paramref name="work"/> on a pooled module of its own and the search's data (how <see cref="DartsSupernet"/> trains the mixture).</summary>
    internal T WithModule<T>(Func<SupernetModule, SupernetData, T> work)
    {
        var module = Rent();
        try { return work(module, _data); }
        finally { _pool.Add(module); }
    }

    private SupernetModule Rent() => _pool.TryTake(out var module) ? module : Create();

    private SupernetModule Create() => _networks.Architecture switch
    {
        MlpSpace mlp => new MlpSupernet(mlp),
        Nb201Space nb201 => new Nb201Supernet(nb201, _networks.Nb201),
        var other => throw new NotSupportedException($"no supernet for space type '{other.Name}' (SPOS supports mlp and nb201)")
    };

    public void Dispose()
    {
        while (_pool.TryTake(out var module)) module.Dispose();
        _data.Dispose();
    }
}
