using System.Diagnostics;
using NasActors.Core.Data;
using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Training.Data;
using NasActors.Training.Devices;
using NasActors.Training.Models;
using NasActors.Training.Trials;
using TorchSharp;
using static TorchSharp.torch;

namespace NasActors.Training.ZeroCost;

/// <summary>
/// The <c>zero-cost</c> evaluator mode: scores a genotype by one proxy at initialisation, without
/// training, so any strategy can search by it in seconds. The score is reported as
/// <see cref="TrialMetrics.ValidationAccuracy"/> (so specs that maximise val_accuracy search by the
/// proxy unchanged) and as <c>zc_&lt;proxy&gt;</c> in Extra, with the counted FLOPs. Validation loss is NaN.
/// The mini-batch is drawn from the training split by the trial's seed; weights by the same seed.
/// </summary>
public sealed class ZeroCostEvaluator : ITrialEvaluator, IDisposable
{
    private readonly IZeroCostProxy _proxy;
    private readonly NetworkFactory _networks;
    private readonly ImageShape? _image;
    private readonly Tensor _x, _y;
    private readonly int _batchSize;

    public ZeroCostEvaluator(SearchDefinition definition, string proxy, int batchSize = 64, Nb201ModelOptions? nb201 = null)
    {
        _proxy = ZeroCostProxies.Get(proxy);
        _batchSize = batchSize;
        var (data, image) = DatasetLoader.Load(definition.Spec.Dataset);
        _networks = NetworkFactory.For(definition, image, nb201);
        _image = image ?? _networks.Image;
        var (train, _) = data.Split(definition.Spec.Dataset.ValidationFraction, definition.Spec.Seed);
        var rows = train.Take(Math.Max(batchSize * 8, 512)).ToArray();
        var features = new float[rows.Length * data.FeatureCount];
        var labels = new long[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            Array.Copy(data.Features[rows[i]], 0, features, i * data.FeatureCount, data.FeatureCount);
            labels[i] = data.Labels[rows[i]];
        }
        _x = tensor(features, [rows.Length, data.FeatureCount]).DetachFromDisposeScope();
        _y = tensor(labels).DetachFromDisposeScope();
    }

    public string Proxy => _proxy.Name;
    public NetworkFactory Networks => _networks;

    public Task<TrialMetrics> EvaluateAsync(TrialRequest trial, TrialContext context, CancellationToken cancellationToken) =>
        Task.Run(() => Score(trial, context), cancellationToken);

    public TrialMetrics Score(TrialRequest trial, TrialContext context)
    {
        var clock = Stopwatch.StartNew();
        var device = TrainingDevices.Resolve(context.Device);
        if (device.type == TorchSharp.DeviceType.CPU) TorchSharp.torch.set_num_threads(Math.Max(1, context.Threads));
        using var generator = new Generator(unchecked((ulong)trial.Seed));
        using var model = _networks.Create(trial.Genotype, generator, _networks.Architecture is NasActors.Core.Spaces.Nb201Space ? trial.Fidelity.Resolution : null);
        model.to(device);
        var (inputs, targets) = Batch(model, trial.Seed, device);
        using (inputs)
        using (targets)
        {
            var parameters = model.CountParameters();
            var flops = model.CountFlops();
            var score = _proxy.Score(model, inputs, targets);
            return new TrialMetrics(score, double.NaN, parameters, clock.Elapsed.TotalSeconds, new Dictionary<string, double>
            {
                [$"zc_{_proxy.Name}"] = score,
                [MetricNames.Flops] = flops
            });
        }
    }

    /// <summary>A seeded mini-batch shaped for <paramref name="model"/>.</summary>
    public (Tensor Inputs, Tensor Targets) Batch(CandidateNetwork model, long seed, Device device)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(TorchTrialEvaluator.DerivedSeed(seed, stream: 3));
        var pick = randperm(_x.shape[0], generator: generator).narrow(0, 0, Math.Min(_batchSize, _x.shape[0]));
        var rows = _x.index_select(0, pick);
        var inputs = _networks.TakesImages
            ? ImageTensors.Resize(ImageTensors.View(rows, _image!), (int)model.InputShape[1], (int)model.InputShape[2])
            : rows;
        return (inputs.to(device).MoveToOuterDisposeScope(), _y.index_select(0, pick).to(device).MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        _x.Dispose();
        _y.Dispose();
    }
}
