using System.Diagnostics;
using System.Globalization;
using NasActors.Core.Data;
using NasActors.Core.Randomness;
using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Training.Data;
using NasActors.Training.Devices;
using NasActors.Training.Metrics;
using NasActors.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace NasActors.Training.Trials;

/// <summary>
/// Trains candidates of any space (MLP, NAS-Bench-201 cell, MnasNet-style CNN) with TorchSharp on
/// the search's dataset. The dataset is read, split (by the search seed, the same split for every
/// trial) and turned into tensors once; trials only read those tensors, so one evaluator may serve
/// concurrent trainers.
/// </summary>
/// <remarks>
/// Randomness: weight initialisation, data subsampling and the per-epoch shuffles draw from
/// per-trial <see cref="Generator"/>s, so they are reproducible even when trainers run side by side.
/// Dropout masks cannot take a generator in TorchSharp and come from the process-global generator:
/// a trial with dropout calls <c>torch.manual_seed(trial.Seed)</c> when it starts, which makes it
/// reproducible when it is the only trainer in the process, but not while another trial with
/// dropout trains concurrently (they share, and reseed, the same global stream).
///
/// Metrics beyond accuracy and loss go to <see cref="TrialMetrics.Extra"/> under the names in
/// <see cref="MetricNames"/>.
/// </remarks>
public sealed class TorchTrialEvaluator : ITrialEvaluator, IDisposable
{
    private readonly NetworkFactory _networks;
    private readonly TorchEvaluatorOptions _options;
    private readonly int _batchSize;
    private readonly int _fullEpochs;
    private readonly double _defaultLearningRate;
    private readonly Tensor _trainX, _trainY, _validationX, _validationY;

    public TorchTrialEvaluator(SearchDefinition definition, TorchEvaluatorOptions? options = null)
    {
        _options = options ?? new TorchEvaluatorOptions();
        var spec = definition.Spec;
        if (spec.Training.BatchSize < 1)
            throw new ArgumentException($"batch size must be at least 1, got {spec.Training.BatchSize}", nameof(definition));
        _batchSize = spec.Training.BatchSize;
        _fullEpochs = spec.Training.Epochs;
        _defaultLearningRate = _options.LearningRate;

        var (data, image) = DatasetLoader.Load(spec.Dataset);
        if (data.FeatureCount != definition.Shape.Features || data.Classes != definition.Shape.Classes)
            throw new InvalidOperationException(
                $"dataset '{spec.Dataset.Path}' has {data.FeatureCount} features and {data.Classes} classes, " +
                $"but the search was defined for {definition.Shape.Features} features and {definition.Shape.Classes} classes");
        _networks = NetworkFactory.For(definition, image, _options.Nb201);
        DataImage = image ?? _networks.Image;
        var (train, validation) = data.Split(spec.Dataset.ValidationFraction, spec.Seed);
        TrainCount = train.Length;
        ValidationCount = validation.Length;
        (_trainX, _trainY) = ToTensors(data, train);
        (_validationX, _validationY) = ToTensors(data, validation);
    }

    public int TrainCount { get; }
    public int ValidationCount { get; }
    public NetworkFactory Networks => _networks;
    /// <summary>The shape of the dataset's images (null for plain tabular data).</summary>
    public ImageShape? DataImage { get; }

    public Task<TrialMetrics> EvaluateAsync(TrialRequest trial, TrialContext context, CancellationToken cancellationToken) =>
        // The whole trial runs synchronously on one pool thread: torch's thread setting below is
        // made on that thread, and the loop checks the token between batches.
        Task.Run(() => Train(trial, context, cancellationToken), cancellationToken);

    /// <summary>Trains one trial on the calling thread.</summary>
    public TrialMetrics Train(TrialRequest trial, TrialContext context, CancellationToken cancellationToken)
    {
        if (trial.Fidelity.Epochs < 1)
            throw new ArgumentException($"trial {trial.TrialId}: epochs must be at least 1, got {trial.Fidelity.Epochs}", nameof(trial));
        if (!(trial.Fidelity.DataFraction > 0 && trial.Fidelity.DataFraction <= 1))
            throw new ArgumentException($"trial {trial.TrialId}: data fraction must be in (0, 1], got {trial.Fidelity.DataFraction}", nameof(trial));
        var device = TrainingDevices.Resolve(context.Device);
        cancellationToken.ThrowIfCancellationRequested();

        // Temporaries a killed attempt left behind (writes that never reached their rename).
        TrialFiles.DeleteStaleTemporaries(context.ArtifactDirectory, trial.TrialId, context.LeaseEpoch);
        TrialFiles.DeleteStaleTemporaries(context.CheckpointDirectory, trial.TrialId, context.LeaseEpoch);

        var clock = Stopwatch.StartNew();
        var workingSetBefore = Environment.WorkingSet;
        // libtorch's intra-op thread count is process-wide (and, with OpenMP, also a setting of the
        // calling OS thread), so it is set here, on the thread that runs this trial, just before
        // training. Trainers in one process are expected to share one Threads value.
        if (device.type == TorchSharp.DeviceType.CPU) torch.set_num_threads(Math.Max(1, context.Threads));

        var genotype = trial.Genotype;
        var hyper = TrialHyperparameters.Of(_networks.Space, genotype, _batchSize, trial.Fidelity.Epochs, _defaultLearningRate);
        // Only Dropout uses the global generator (see the class remarks); leave it alone otherwise.
        if (HasDropout(genotype)) torch.manual_seed(trial.Seed);

        var resolution = Resolution(trial);
        using var initGenerator = new Generator(unchecked((ulong)trial.Seed));
        using var model = _networks.Create(genotype, initGenerator, resolution);
        var counted = model.CountParameters();
        if (_networks.MatchesAnalyticParameters && counted != _networks.Space.ParameterCount(genotype))
            throw new InvalidOperationException(
                $"trial {trial.TrialId}: built model has {counted} parameters but the space says {_networks.Space.ParameterCount(genotype)} for '{genotype}'");
        model.to(device);

        var (trainX, trainY) = Subsample(trial);
        using var validationX = Inputs(_validationX, model, device);
        using var validationY = _validationY.to(device);
        try
        {
            using var x = Inputs(trainX, model, device);
            using var y = trainY.to(device);
            var extra = new Dictionary<string, double>();
            var warn = _options.Warning ?? (message => Trace.TraceWarning(message));
            var checkpoint = context.CheckpointDirectory is { } folder
                ? new TrialCheckpoint(folder, trial.TrialId, context.LeaseEpoch, genotype.Canonical, trial.Seed, warn)
                : null;
            var continuation = context.CheckpointDirectory is { } root ? TrialContinuation.For(root, trial, warn) : null;
            var (accuracy, validationLoss) = Fit(model, x, y, validationX, validationY, hyper, trial, context.Progress, extra, checkpoint, continuation, cancellationToken);
            extra[MetricNames.Flops] = model.CountFlops();
            extra[MetricNames.LatencyBatch1] = _options.Latency.MedianMilliseconds(model, 1, device);
            extra[MetricNames.LatencyBatch] = _options.Latency.MedianMilliseconds(model, hyper.BatchSize, device);
            extra[MetricNames.LatencyBatchSize] = hyper.BatchSize;
            // libtorch 2.x in TorchSharp 0.107 exposes no CUDA allocator statistics, so on every
            // device this is the process working-set growth over the trial (host memory).
            extra[MetricNames.WorkingSetDeltaMb] = (Environment.WorkingSet - workingSetBefore) / (1024.0 * 1024.0);
            var metrics = new TrialMetrics(accuracy, validationLoss, counted, clock.Elapsed.TotalSeconds, extra);
            ThrowIfNotFinite(metrics);
            Save(model, context.ArtifactDirectory, trial.TrialId, context.LeaseEpoch);
            checkpoint?.Delete();
            return metrics;
        }
        finally
        {
            if (!ReferenceEquals(trainX, _trainX)) { trainX.Dispose(); trainY.Dispose(); }
        }
    }

    /// <summary>Path the weights of an attempt are saved to (lease epoch 0: the name used before fencing).</summary>
    public static string WeightsPath(string artifactDirectory, int trialId, int leaseEpoch = 0) =>
        TrialArtifacts.WeightsFile(artifactDirectory, trialId, leaseEpoch);

    /// <summary>Image side a trial trains at: the fidelity's resolution for NAS-Bench-201 cells, else the network's own.</summary>
    private int? Resolution(TrialRequest trial) => _networks.Architecture is Nb201Space ? trial.Fidelity.Resolution : null;

    private (double Accuracy, double Loss) Fit(CandidateNetwork model, Tensor x, Tensor y, Tensor validationX, Tensor validationY,
        TrialHyperparameters hyper, TrialRequest trial, IProgress<TrialProgress>? progress, Dictionary<string, double> extra,
        TrialCheckpoint? checkpoint, TrialCheckpoint? continuation, CancellationToken ct)
    {
        var count = x.shape[0];
        using var optimizer = optim.Adam(model.parameters(), lr: hyper.LearningRate, weight_decay: hyper.WeightDecay);
        double trainLoss = double.NaN, accuracy = 0, validationLoss = double.NaN, trainSeconds = 0;
        // A re-issued trial continues after its last checkpointed epoch; per-epoch shuffles are
        // seeded by the epoch number, so the remaining epochs see the batches they would have seen.
        var (resumedEpoch, earlier) = checkpoint?.TryRestore(model, optimizer) ?? (0, new Dictionary<string, double>());
        var marker = MetricNames.ResumedFromEpoch;
        if (resumedEpoch == 0 && continuation is not null)
        {
            // A promotion: the same configuration trained fewer epochs before (see TrialContinuation).
            (resumedEpoch, earlier) = continuation.TryRestore(model, optimizer, maxEpoch: hyper.Epochs - 1);
            marker = MetricNames.ContinuedFromEpoch;
        }
        foreach (var (name, value) in earlier) extra[name] = value;
        if (resumedEpoch > 0)
        {
            extra.Remove(MetricNames.ResumedFromEpoch); // what the earlier run had recorded of its own start
            extra.Remove(MetricNames.ContinuedFromEpoch);
            extra[marker] = resumedEpoch;
            trainLoss = extra.GetValueOrDefault(MetricNames.TrainLossEpoch(resumedEpoch), double.NaN);
            trainSeconds = Enumerable.Range(1, resumedEpoch).Sum(e => extra.GetValueOrDefault(MetricNames.EpochSecondsOf(e)));
        }
        var sinceCheckpoint = Stopwatch.StartNew();
        for (var epoch = resumedEpoch + 1; epoch <= hyper.Epochs; epoch++)
        {
            // (epoch, 0) as an epoch starts (the previous one validated and checkpointed), then (epoch, b)
            // after each batch b: strictly increasing, so a watcher can tell progress from a hang.
            progress?.Report(new TrialProgress(epoch, 0));
            var clock = Stopwatch.StartNew();
            model.train();
            using var shuffleGenerator = new Generator(DerivedSeed(trial.Seed + epoch - 1, stream: 2));
            using var order = randperm(count, generator: shuffleGenerator).to(x.device);
            double lossSum = 0;
            long correct = 0;
            var batchNumber = 0;
            for (long start = 0; start < count; start += hyper.BatchSize)
            {
                ct.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var size = Math.Min(hyper.BatchSize, count - start);
                var batch = order.narrow(0, start, size);
                var inputs = x.index_select(0, batch);
                var targets = y.index_select(0, batch);
                optimizer.zero_grad();
                var logits = model.forward(inputs);
                var loss = nn.functional.cross_entropy(logits, targets);
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>() * size;
                correct += logits.argmax(1).eq(targets).sum().item<long>();
                progress?.Report(new TrialProgress(epoch, ++batchNumber));
            }
            trainLoss = lossSum / count;
            var seconds = clock.Elapsed.TotalSeconds;
            trainSeconds += seconds;
            (accuracy, validationLoss) = Validate(model, validationX, validationY);
            // A diverged trial ends here, before a checkpoint or metric could hold a NaN.
            NonFiniteMetricException.ThrowIfNotFinite("training loss", trainLoss, epoch);
            NonFiniteMetricException.ThrowIfNotFinite("validation loss", validationLoss, epoch);
            NonFiniteMetricException.ThrowIfNotFinite("validation accuracy", accuracy, epoch);
            extra[MetricNames.TrainLossEpoch(epoch)] = trainLoss;
            extra[MetricNames.TrainAccuracyEpoch(epoch)] = (double)correct / count;
            extra[MetricNames.ValidationLossEpoch(epoch)] = validationLoss;
            extra[MetricNames.ValidationAccuracyEpoch(epoch)] = accuracy;
            extra[MetricNames.EpochSecondsOf(epoch)] = seconds;
            if (epoch < hyper.Epochs && checkpoint is not null && sinceCheckpoint.Elapsed >= _options.CheckpointInterval)
            {
                checkpoint.Save(model, optimizer, epoch, extra);
                sinceCheckpoint.Restart();
            }
            _options.AfterEpoch?.Invoke(trial.TrialId, epoch);
        }
        if (resumedEpoch >= hyper.Epochs) (accuracy, validationLoss) = Validate(model, validationX, validationY);
        if (continuation is not null && TrialContinuation.Keeps(trial, _fullEpochs)) continuation.Save(model, optimizer, hyper.Epochs, extra);
        extra[MetricNames.TrainLoss] = trainLoss;
        extra[MetricNames.EpochSeconds] = trainSeconds / hyper.Epochs;
        extra[MetricNames.Epochs] = hyper.Epochs;
        return (accuracy, validationLoss);
    }

    private (double Accuracy, double Loss) Validate(CandidateNetwork model, Tensor x, Tensor y)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        // In chunks, so that validating a large CNN does not hold every activation at once.
        double lossSum = 0;
        long correct = 0, count = x.shape[0];
        for (long start = 0; start < count; start += 512)
        {
            var size = Math.Min(512, count - start);
            var logits = model.forward(x.narrow(0, start, size));
            var targets = y.narrow(0, start, size);
            lossSum += nn.functional.cross_entropy(logits, targets, reduction: nn.Reduction.Sum).item<float>();
            correct += logits.argmax(1).eq(targets).sum().item<long>();
        }
        return ((double)correct / count, lossSum / count);
    }

    /// <summary>Rows as the network takes them: flat for an MLP, images (resized to the network's side) otherwise.</summary>
    private Tensor Inputs(Tensor rows, CandidateNetwork model, Device device)
    {
        if (!_networks.TakesImages) return rows.to(device);
        using var images = ImageTensors.View(rows, DataImage!);
        using var resized = ImageTensors.Resize(images, (int)model.InputShape[1], (int)model.InputShape[2]);
        return resized.to(device);
    }

    private bool HasDropout(Genotype genotype) =>
        _networks.Architecture is MlpSpace mlp && mlp.Dropout(_networks.Space.Architecture(genotype)) > 0;

    private (Tensor X, Tensor Y) Subsample(TrialRequest trial)
    {
        if (trial.Fidelity.DataFraction >= 1) return (_trainX, _trainY);
        var keep = Math.Max(1, (int)Math.Round(TrainCount * trial.Fidelity.DataFraction));
        using var generator = new Generator(DerivedSeed(trial.Seed, stream: 1));
        using var scope = NewDisposeScope();
        var chosen = randperm(TrainCount, generator: generator).narrow(0, 0, keep);
        var x = _trainX.index_select(0, chosen).MoveToOuterDisposeScope();
        var y = _trainY.index_select(0, chosen).MoveToOuterDisposeScope();
        return (x, y);
    }

    /// <summary>
    /// Writes the weights of an attempt durably, through a temporary file and a rename, so a killed
    /// process never leaves a partial weights file; disk faults become <see cref="InfrastructureException"/>.
    /// </summary>
    public static void Save(nn.Module model, string artifactDirectory, int trialId, int leaseEpoch = 0) =>
        TrialFiles.Write(WeightsPath(artifactDirectory, trialId, leaseEpoch), file =>
        {
            using var writer = new BinaryWriter(file, System.Text.Encoding.UTF8, leaveOpen: true);
            model.save(writer);
        });

    /// <summary>The last guard: latency, flops and every extra too, so no NaN or infinity leaves the evaluator.</summary>
    private static void ThrowIfNotFinite(TrialMetrics metrics)
    {
        NonFiniteMetricException.ThrowIfNotFinite("validation accuracy", metrics.ValidationAccuracy);
        NonFiniteMetricException.ThrowIfNotFinite("validation loss", metrics.ValidationLoss);
        foreach (var (name, value) in metrics.Extra!) NonFiniteMetricException.ThrowIfNotFinite(name, value);
    }

    /// <summary>Independent seed streams from one trial seed (1: subsampling, 2: shuffling).</summary>
    internal static ulong DerivedSeed(long seed, int stream) =>
        unchecked((ulong)new SeededRandom(seed ^ ((long)stream << 56)).NextSeed());

    private static (Tensor X, Tensor Y) ToTensors(TabularDataset data, int[] rows)
    {
        var features = data.FeatureCount;
        var x = new float[rows.Length * features];
        var y = new long[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            Array.Copy(data.Features[rows[i]], 0, x, i * features, features);
            y[i] = data.Labels[rows[i]];
        }
        // Kept for the evaluator's lifetime: detach them from any dispose scope of the caller.
        return (tensor(x, new long[] { rows.Length, features }).DetachFromDisposeScope(), tensor(y).DetachFromDisposeScope());
    }

    public void Dispose()
    {
        _trainX.Dispose();
        _trainY.Dispose();
        _validationX.Dispose();
        _validationY.Dispose();
    }
}
