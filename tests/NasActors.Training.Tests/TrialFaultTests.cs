using System.Text.RegularExpressions;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;
using NasActors.Training.Trials;

namespace NasActors.Training.Tests;

/// <summary>Divergence, progress reports and disk faults of a trial attempt.</summary>
public sealed class TrialFaultTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(double.NaN, "validation loss is NaN at epoch 3")]
    [InlineData(double.PositiveInfinity, "validation loss is +inf at epoch 3")]
    [InlineData(double.NegativeInfinity, "validation loss is -inf at epoch 3")]
    public void A_non_finite_value_is_named_with_its_epoch(double value, string message)
    {
        var error = Assert.Throws<NonFiniteMetricException>(() => NonFiniteMetricException.ThrowIfNotFinite("validation loss", value, 3));
        Assert.Equal(message, error.Message);
        NonFiniteMetricException.ThrowIfNotFinite("validation loss", 1e300, 3); // finite: no exception
    }

    [Fact]
    public void A_diverging_trial_fails_naming_the_loss_and_epoch_and_writes_no_weights()
    {
        // A learning rate of 1e30 sends the weights past float32's range within the first epoch.
        var definition = TestData.Digits(minLearningRate: 1e-4, maxLearningRate: 1e31);
        var trial = new TrialRequest(4, TestData.Mlp((MlpSpace)definition.Space, 2, [64, 32], "relu", 0.0, 1e30), new Fidelity(3), 9);
        var artifacts = Path.Combine(_folder.Path, "trials");
        var checkpoints = Path.Combine(_folder.Path, "checkpoints");
        using var evaluator = new TorchTrialEvaluator(definition);

        var error = Assert.Throws<NonFiniteMetricException>(() =>
            evaluator.Train(trial, new TrialContext(artifacts, 1, CheckpointDirectory: checkpoints, LeaseEpoch: 1), CancellationToken.None));

        Assert.Matches(new Regex(@"^(training|validation) (loss|accuracy) is (NaN|\+inf|-inf) at epoch [1-3]$"), error.Message);
        Assert.False(File.Exists(TrialArtifacts.WeightsFile(artifacts, 4, 1)));
        // No checkpoint holds the diverged epoch: any mark left is of an earlier, finite epoch.
        foreach (var mark in Directory.Exists(checkpoints) ? Directory.GetFiles(checkpoints, "*.json") : [])
            Assert.DoesNotContain("NaN", File.ReadAllText(mark));
    }

    [Fact]
    public void Progress_is_reported_at_every_epoch_start_and_after_every_batch_in_increasing_order()
    {
        var definition = TestData.Digits(batchSize: 256);
        var trial = new TrialRequest(2, TestData.Mlp((MlpSpace)definition.Space, 1, [32], "relu", 0.0, 3e-3), new Fidelity(2), 3);
        using var evaluator = new TorchTrialEvaluator(definition);
        var progress = new RecordingProgress();

        evaluator.Train(trial, new TrialContext(_folder.Path, 1, Progress: progress), CancellationToken.None);

        var batches = (evaluator.TrainCount + 255) / 256;
        Assert.Equal(2 * (batches + 1), progress.Reports.Count);
        Assert.Equal(new TrialProgress(1, 0), progress.Reports[0]);
        Assert.Equal(new TrialProgress(2, batches), progress.Reports[^1]);
        for (var i = 1; i < progress.Reports.Count; i++)
        {
            var (before, after) = (progress.Reports[i - 1], progress.Reports[i]);
            Assert.True(after.Epoch > before.Epoch || (after.Epoch == before.Epoch && after.Batch > before.Batch), $"{before} then {after}");
        }
    }

    [Fact]
    public void A_checkpoint_that_cannot_be_written_is_an_infrastructure_fault_naming_the_file()
    {
        var (evaluator, trial) = SmallTrial(5, epochs: 2);
        using var _ = evaluator;
        var checkpoints = Path.Combine(RegularFile(), "checkpoints");

        var error = Assert.Throws<InfrastructureException>(() =>
            evaluator.Train(trial, new TrialContext(Path.Combine(_folder.Path, "trials"), 1, CheckpointDirectory: checkpoints, LeaseEpoch: 3), CancellationToken.None));

        Assert.Contains(Path.Combine(checkpoints, "trial-5.e3.model.pt"), error.Message);
        Assert.IsAssignableFrom<IOException>(error.InnerException);
    }

    [Fact]
    public void Weights_that_cannot_be_written_are_an_infrastructure_fault_naming_the_file()
    {
        var (evaluator, trial) = SmallTrial(6, epochs: 1);
        using var _ = evaluator;
        var artifacts = Path.Combine(RegularFile(), "trials");

        var error = Assert.Throws<InfrastructureException>(() =>
            evaluator.Train(trial, new TrialContext(artifacts, 1, LeaseEpoch: 2), CancellationToken.None));

        Assert.Contains(Path.Combine(artifacts, "trial-6.e2.pt"), error.Message);
    }

    private static (TorchTrialEvaluator, TrialRequest) SmallTrial(int trialId, int epochs)
    {
        var definition = TestData.Digits();
        var trial = new TrialRequest(trialId, TestData.Mlp((MlpSpace)definition.Space, 1, [32], "relu", 0.0, 3e-3), new Fidelity(epochs), 3);
        return (new TorchTrialEvaluator(definition), trial);
    }

    /// <summary>A regular file: a folder below it cannot be created (the fault root meets too, unlike a read-only folder).</summary>
    private string RegularFile()
    {
        Directory.CreateDirectory(_folder.Path);
        var path = Path.Combine(_folder.Path, "a-file");
        File.WriteAllText(path, "not a folder");
        return path;
    }

    /// <summary>Records synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class RecordingProgress : IProgress<TrialProgress>
    {
        public List<TrialProgress> Reports { get; } = [];
        public void Report(TrialProgress value) => Reports.Add(value);
    }
}
