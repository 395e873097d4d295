using NasActors.Core.Spaces;
using NasActors.Core.Trials;
using NasActors.Training.Trials;

namespace NasActors.Training.Tests;

/// <summary>A re-issued trial resumes from its last epoch checkpoint and ends where an uninterrupted run ends.</summary>
public sealed class TrialCheckpointTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_trial_cancelled_after_epoch_2_resumes_at_epoch_3_and_matches_an_uninterrupted_run()
    {
        var definition = TestData.Digits();
        var space = (MlpSpace)definition.Space;
        var trial = new TrialRequest(7, TestData.Mlp(space, 2, [64, 32], "relu", 0.0, 3e-3), new Fidelity(4), 21);

        using var plain = new TorchTrialEvaluator(definition);
        var uninterrupted = plain.Train(trial, new TrialContext(Path.Combine(_folder.Path, "a"), 1), CancellationToken.None);

        var checkpoints = Path.Combine(_folder.Path, "checkpoints");
        var context = new TrialContext(Path.Combine(_folder.Path, "b"), 1, CheckpointDirectory: checkpoints);
        using var cancel = new CancellationTokenSource();
        var epochsRun = new List<int>();
        using var interrupted = new TorchTrialEvaluator(definition, new TorchEvaluatorOptions
        {
            AfterEpoch = (_, epoch) => { epochsRun.Add(epoch); if (epoch == 2) cancel.Cancel(); }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => interrupted.Train(trial, context, cancel.Token));
        Assert.Equal([1, 2], epochsRun);
        Assert.True(File.Exists(Path.Combine(checkpoints, "trial-7.json")));

        epochsRun.Clear();
        var resumed = interrupted.Train(trial, context, CancellationToken.None);
        Assert.Equal([3, 4], epochsRun);
        Assert.Equal(2, resumed.Get(MetricNames.ResumedFromEpoch));
        Assert.Equal(uninterrupted.ValidationAccuracy, resumed.ValidationAccuracy);
        Assert.Equal(uninterrupted.ValidationLoss, resumed.ValidationLoss, 6);
        Assert.Equal(uninterrupted.Get(MetricNames.TrainLossEpoch(1)), resumed.Get(MetricNames.TrainLossEpoch(1)));
        Assert.Empty(Directory.GetFiles(checkpoints)); // a finished trial leaves no checkpoint behind
    }

    [Fact]
    public void A_checkpoint_of_another_genotype_is_ignored()
    {
        var definition = TestData.Digits();
        var space = (MlpSpace)definition.Space;
        var checkpoints = Path.Combine(_folder.Path, "checkpoints");
        var first = new TrialRequest(3, TestData.Mlp(space, 1, [32], "relu", 0.0, 3e-3), new Fidelity(3), 5);
        using var cancel = new CancellationTokenSource();
        using var evaluator = new TorchTrialEvaluator(definition, new TorchEvaluatorOptions { AfterEpoch = (_, e) => { if (e == 1) cancel.Cancel(); } });
        var context = new TrialContext(Path.Combine(_folder.Path, "w"), 1, CheckpointDirectory: checkpoints);
        Assert.ThrowsAny<OperationCanceledException>(() => evaluator.Train(first, context, cancel.Token));

        // Same trial id, different architecture (e.g. a search started anew in the same store).
        var other = first with { Genotype = TestData.Mlp(space, 1, [64], "tanh", 0.0, 3e-3) };
        using var fresh = new TorchTrialEvaluator(definition);
        var metrics = fresh.Train(other, context, CancellationToken.None);
        Assert.Throws<KeyNotFoundException>(() => metrics.Get(MetricNames.ResumedFromEpoch));
    }
}
