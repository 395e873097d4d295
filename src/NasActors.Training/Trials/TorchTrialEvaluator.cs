using System.Diagnostics;
using NasActors.Core.Data;
using NasActors.Core.Randomness;
using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace NasActors.Training.Trials;

/// <summary>
/// Trains MLP candidates with TorchSharp on the search's tabular dataset. The dataset is read,
/// split (by the search seed, the same split for every trial) and turned into tensors once;
/// trials only read those tensors, so one evaluator may serve concurrent trainers.
/// </summary>
/// <remarks>
/// Randomness: weight initialisation, data subsampling and the per-epoch shuffles draw from
/// per-trial <see cref="Generator"/>s, so they are reproducible even when trainers run side by side.
/// Dropout masks cannot take a generator in TorchSharp and come from the process-global generator:
/// a trial with dropout calls <c>torch.manual_seed(trial.Seed)</c> when it starts, which makes it
/// reproducible when it is the only trainer in the process, but not while another trial with
/// dropout trains concurrently (they share, and reseed, the same global stream).
/// </remarks>
public sealed class TorchTrialEvaluator : ITrialEvaluator, IDisposable
{
    private readonly MlpSpace _space;
    private readonly int _batchSize;
    private readonly Tensor _trainX, _trainY, _validationX, _validationY;

    public TorchTrialEvaluator(SearchDefinition definition)
    {
        _space = definition.Space as MlpSpace
            ?? throw new ArgumentException($"TorchTrialEvaluator trains MLP spaces, not '{definition.Space.Name}'", nameof(definition));
        var spec = definition.Spec;
        if (spec.Training.BatchSize < 1)
            throw new ArgumentException($"batch size must be at least 1, got {spec.Training.BatchSize}", nameof(definition));
        _batchSize = spec.Training.BatchSize;

        var data = TabularDataset.LoadCsv(spec.Dataset.Path, spec.Dataset.LabelColumn);
        if (data.FeatureCount != definition.Shape.Features || data.Classes != definition.Shape.Classes)
            throw new InvalidOperationException(
                $"dataset '{spec.Dataset.Path}' has {data.FeatureCount} features and {data.Classes} classes, " +
                $"but the search was defined for {definition.Shape.Features} features and {definition.Shape.Classes} classes");
        var (train, validation) = data.Split(spec.Dataset.ValidationFraction, spec.Seed);
        TrainCount = train.Length;
        ValidationCount = validation.Length;
        (_trainX, _trainY) = ToTensors(data, train);
        (_validationX, _validationY) = ToTensors(data, validation);
    }

    public int TrainCount { get; }
    public int ValidationCount { get; }

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
        if (context.Device != "cpu")
            throw new NotSupportedException($"trial {trial.TrialId}: device '{context.Device}' is not supported; this build trains on cpu");
        cancellationToken.ThrowIfCancellationRequested();

        var clock = Stopwatch.StartNew();
        // libtorch's intra-op thread count is process-wide (and, with OpenMP, also a setting of the
        // calling OS thread), so it is set here, on the thread that runs this trial, just before
        // training. Trainers in one process are expected to share one Threads value.
        torch.set_num_threads(Math.Max(1, context.Threads));

        var genotype = trial.Genotype;
        var hasDropout = _space.Dropout(genotype) > 0;
        // Only Dropout uses the global generator (see the class remarks); leave it alone otherwise.
        if (hasDropout) torch.manual_seed(trial.Seed);

        using var initGenerator = new Generator(unchecked((ulong)trial.Seed));
        using var model = MlpModel.Create(_space, genotype, initGenerator);
        var counted = model.CountParameters();
        var expected = _space.ParameterCount(genotype);
        if (counted != expected)
            throw new InvalidOperationException(
                $"trial {trial.TrialId}: built model has {counted} parameters but MlpSpace.ParameterCount says {expected} for '{genotype}'");

        var (trainX, trainY) = Subsample(trial);
        try
        {
            var (trainLoss, epochSeconds) = Fit(model, trainX, trainY, trial, cancellationToken);
            var (accuracy, validationLoss) = Validate(model);
            Save(model, context.ArtifactDirectory, trial.TrialId);
            return new TrialMetrics(accuracy, validationLoss, counted, clock.Elapsed.TotalSeconds,
                new Dictionary<string, double> { ["epoch_seconds"] = epochSeconds, ["train_loss"] = trainLoss });
        }
        finally
        {
            if (!ReferenceEquals(trainX, _trainX)) { trainX.Dispose(); trainY.Dispose(); }
        }
    }

    /// <summary>Path the weights of a trial are saved to.</summary>
    public static string WeightsPath(string artifactDirectory, int trialId) =>
        Path.Combine(artifactDirectory, $"trial-{trialId}.pt");

    private (double TrainLoss, double EpochSeconds) Fit(MlpModel model, Tensor x, Tensor y, TrialRequest trial, CancellationToken ct)
    {
        var count = x.shape[0];
        using var optimizer = optim.Adam(model.parameters(), lr: _space.LearningRate(trial.Genotype));
        var lastLoss = double.NaN;
        var clock = Stopwatch.StartNew();
        for (var epoch = 0; epoch < trial.Fidelity.Epochs; epoch++)
        {
            model.train();
            using var shuffleGenerator = new Generator(DerivedSeed(trial.Seed + epoch, stream: 2));
            using var order = randperm(count, generator: shuffleGenerator);
            double lossSum = 0;
            for (long start = 0; start < count; start += _batchSize)
            {
                ct.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var size = Math.Min(_batchSize, count - start);
                var batch = order.narrow(0, start, size);
                var inputs = x.index_select(0, batch);
                var targets = y.index_select(0, batch);
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.forward(inputs), targets);
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>() * size;
            }
            lastLoss = lossSum / count;
        }
        return (lastLoss, clock.Elapsed.TotalSeconds / trial.Fidelity.Epochs);
    }

    private (double Accuracy, double Loss) Validate(MlpModel model)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var logits = model.forward(_validationX);
        var loss = nn.functional.cross_entropy(logits, _validationY).item<float>();
        var correct = logits.argmax(1).eq(_validationY).sum().item<long>();
        return ((double)correct / ValidationCount, loss);
    }

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

    /// <summary>Writes to a temporary file and renames it, so a killed process never leaves a partial weights file.</summary>
    private static void Save(MlpModel model, string artifactDirectory, int trialId)
    {
        Directory.CreateDirectory(artifactDirectory);
        var path = WeightsPath(artifactDirectory, trialId);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                using (var writer = new BinaryWriter(file, System.Text.Encoding.UTF8, leaveOpen: true))
                {
                    model.save(writer);
                }
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temporary); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>Independent seed streams from one trial seed (1: subsampling, 2: shuffling).</summary>
    private static ulong DerivedSeed(long seed, int stream) =>
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
