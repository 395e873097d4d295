using System.Security.Cryptography;
using System.Text.Json.Nodes;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;
using NasActors.Training.Trials;

namespace NasActors.Training.Tests;

/// <summary>
/// A re-issued trial resumes from its last epoch checkpoint and ends where an uninterrupted run ends;
/// attempts of different lease epochs never clobber each other's files; a damaged checkpoint is
/// skipped with one warning and the trial trains from epoch 0.
/// </summary>
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
    public void A_promotion_continues_the_shorter_trial_of_its_configuration_and_ends_where_training_from_scratch_ends()
    {
        var (definition, rung0) = Trial(epochs: 2); // the search's full fidelity is 10 epochs: rung 0 leaves its state
        var promoted = rung0 with { TrialId = 8, Fidelity = new Fidelity(4) };
        var checkpoints = Path.Combine(_folder.Path, "checkpoints");
        var epochsRun = new List<(int Trial, int Epoch)>();
        using var evaluator = new TorchTrialEvaluator(definition, new TorchEvaluatorOptions { AfterEpoch = (t, e) => epochsRun.Add((t, e)) });

        var first = evaluator.Train(rung0, new TrialContext(Path.Combine(_folder.Path, "a"), 1, CheckpointDirectory: checkpoints), CancellationToken.None);
        var continued = evaluator.Train(promoted, new TrialContext(Path.Combine(_folder.Path, "a"), 1, CheckpointDirectory: checkpoints), CancellationToken.None);
        var fromScratch = evaluator.Train(promoted with { TrialId = 9 }, new TrialContext(Path.Combine(_folder.Path, "b"), 1), CancellationToken.None);

        Assert.Equal([(7, 1), (7, 2), (8, 3), (8, 4), (9, 1), (9, 2), (9, 3), (9, 4)], epochsRun); // the promotion paid 2 epochs, not 4
        Assert.Equal(2, continued.Get(MetricNames.ContinuedFromEpoch));
        Assert.Throws<KeyNotFoundException>(() => continued.Get(MetricNames.ResumedFromEpoch));
        Assert.Equal(first.Get(MetricNames.TrainLossEpoch(2)), continued.Get(MetricNames.TrainLossEpoch(2)));
        Assert.Equal(fromScratch.ValidationAccuracy, continued.ValidationAccuracy);
        Assert.Equal(fromScratch.ValidationLoss, continued.ValidationLoss, 6);
        Assert.Equal(fromScratch.Get(MetricNames.TrainLossEpoch(4)), continued.Get(MetricNames.TrainLossEpoch(4)), 6);

        // Another seed is another training run: it starts from scratch.
        epochsRun.Clear();
        var otherSeed = evaluator.Train(promoted with { TrialId = 10, Seed = 22 }, new TrialContext(Path.Combine(_folder.Path, "a"), 1, CheckpointDirectory: checkpoints), CancellationToken.None);
        Assert.Equal([(10, 1), (10, 2), (10, 3), (10, 4)], epochsRun);
        Assert.Throws<KeyNotFoundException>(() => otherSeed.Get(MetricNames.ContinuedFromEpoch));
    }

    [Fact]
    public void A_full_fidelity_trial_leaves_no_continuation_and_a_shorter_trial_never_loads_a_longer_ones_state()
    {
        var (definition, full) = Trial(epochs: 10);
        var checkpoints = Path.Combine(_folder.Path, "checkpoints");
        using var evaluator = new TorchTrialEvaluator(definition);
        evaluator.Train(full with { Fidelity = new Fidelity(1) }, new TrialContext(Path.Combine(_folder.Path, "a"), 1, CheckpointDirectory: checkpoints), CancellationToken.None);
        var continuations = Path.Combine(checkpoints, "continuations");
        var written = Directory.GetFiles(continuations, "*.json", SearchOption.AllDirectories).Single();

        var shorter = evaluator.Train(full with { TrialId = 8, Fidelity = new Fidelity(1) }, new TrialContext(Path.Combine(_folder.Path, "a"), 1, CheckpointDirectory: checkpoints), CancellationToken.None);
        Assert.Throws<KeyNotFoundException>(() => shorter.Get(MetricNames.ContinuedFromEpoch)); // 1 epoch trained already: nothing to continue
        var before = Digest(written);
        evaluator.Train(full with { TrialId = 9 }, new TrialContext(Path.Combine(_folder.Path, "a"), 1, CheckpointDirectory: checkpoints), CancellationToken.None);
        Assert.Equal(before, Digest(written)); // the full-fidelity trial continued from it but left nothing new
    }

    [Fact]
    public void With_a_checkpoint_interval_longer_than_the_training_no_epoch_is_checkpointed_and_a_reissue_starts_over()
    {
        var definition = TestData.Digits();
        var space = (MlpSpace)definition.Space;
        var trial = new TrialRequest(7, TestData.Mlp(space, 1, [32], "relu", 0.0, 3e-3), new Fidelity(3), 21);
        var checkpoints = Path.Combine(_folder.Path, "checkpoints");
        var context = new TrialContext(Path.Combine(_folder.Path, "w"), 1, CheckpointDirectory: checkpoints);
        using var cancel = new CancellationTokenSource();
        var epochsRun = new List<int>();
        using var evaluator = new TorchTrialEvaluator(definition, new TorchEvaluatorOptions
        {
            CheckpointInterval = TimeSpan.FromHours(1),
            AfterEpoch = (_, epoch) => { epochsRun.Add(epoch); if (epoch == 2) cancel.Cancel(); }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => evaluator.Train(trial, context, cancel.Token));
        Assert.False(Directory.Exists(checkpoints) && Directory.GetFiles(checkpoints).Length > 0);

        epochsRun.Clear();
        var again = evaluator.Train(trial, context, CancellationToken.None);
        Assert.Equal([1, 2, 3], epochsRun);
        Assert.Throws<KeyNotFoundException>(() => again.Get(MetricNames.ResumedFromEpoch));
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

    [Fact]
    public void A_reissued_attempt_resumes_from_the_previous_attempts_checkpoint_and_writes_weights_under_its_own_epoch()
    {
        var (definition, trial) = Trial(epochs: 4);
        var checkpoints = Path.Combine(_folder.Path, "checkpoints");
        var artifacts = Path.Combine(_folder.Path, "trials");
        using var plain = new TorchTrialEvaluator(definition);
        var uninterrupted = plain.Train(trial, new TrialContext(Path.Combine(_folder.Path, "plain"), 1), CancellationToken.None);

        CancelAfter(definition, trial, new TrialContext(artifacts, 1, CheckpointDirectory: checkpoints, LeaseEpoch: 1), epoch: 2);
        Assert.True(File.Exists(Path.Combine(checkpoints, "trial-7.e1.json")));
        Assert.True(File.Exists(Path.Combine(checkpoints, "trial-7.e1.model.pt")));
        Assert.True(File.Exists(Path.Combine(checkpoints, "trial-7.e1.optimizer.pt")));

        using var evaluator = new TorchTrialEvaluator(definition);
        var resumed = evaluator.Train(trial, new TrialContext(artifacts, 1, CheckpointDirectory: checkpoints, LeaseEpoch: 2), CancellationToken.None);

        Assert.Equal(2, resumed.Get(MetricNames.ResumedFromEpoch));
        Assert.Equal(uninterrupted.ValidationAccuracy, resumed.ValidationAccuracy);
        Assert.True(File.Exists(Path.Combine(artifacts, "trial-7.e2.pt")));
        Assert.False(File.Exists(Path.Combine(artifacts, "trial-7.e1.pt")));
        Assert.Empty(Directory.GetFiles(checkpoints)); // the finished attempt removed its own and the older checkpoint
    }

    [Fact]
    public void A_stale_attempt_neither_resumes_from_nor_overwrites_the_live_attempts_files()
    {
        var (definition, trial) = Trial(epochs: 3);
        var checkpoints = Path.Combine(_folder.Path, "checkpoints");
        var artifacts = Path.Combine(_folder.Path, "trials");
        // The live attempt (lease epoch 2) has checkpointed epoch 1 and is still training.
        CancelAfter(definition, trial, new TrialContext(artifacts, 1, CheckpointDirectory: checkpoints, LeaseEpoch: 2), epoch: 1);
        var liveFiles = Directory.GetFiles(checkpoints).ToDictionary(f => f, Digest);
        Assert.Equal(3, liveFiles.Count);

        // The zombie (lease epoch 1, lost its lease) trains to the end.
        using var zombie = new TorchTrialEvaluator(definition);
        var stale = zombie.Train(trial, new TrialContext(artifacts, 1, CheckpointDirectory: checkpoints, LeaseEpoch: 1), CancellationToken.None);

        Assert.Throws<KeyNotFoundException>(() => stale.Get(MetricNames.ResumedFromEpoch)); // a newer epoch's checkpoint is not its own
        foreach (var (file, digest) in liveFiles) Assert.Equal(digest, Digest(file));
        Assert.True(File.Exists(Path.Combine(artifacts, "trial-7.e1.pt")));
        Assert.False(File.Exists(Path.Combine(artifacts, "trial-7.e2.pt")));

        using var live = new TorchTrialEvaluator(definition);
        var counted = live.Train(trial, new TrialContext(artifacts, 1, CheckpointDirectory: checkpoints, LeaseEpoch: 2), CancellationToken.None);
        Assert.Equal(1, counted.Get(MetricNames.ResumedFromEpoch));
        Assert.True(File.Exists(Path.Combine(artifacts, "trial-7.e2.pt")));
    }

    [Theory]
    [InlineData("mark is not JSON")]
    [InlineData("model file truncated")]
    [InlineData("optimizer file garbage")]
    [InlineData("model file missing")]
    [InlineData("old mark without hashes, model file truncated")]
    public void A_damaged_checkpoint_is_skipped_with_one_warning_and_the_trial_trains_from_epoch_0(string damage)
    {
        var (definition, trial) = Trial(epochs: 3);
        var checkpoints = Path.Combine(_folder.Path, "checkpoints");
        using var plain = new TorchTrialEvaluator(definition);
        var uninterrupted = plain.Train(trial, new TrialContext(Path.Combine(_folder.Path, "plain"), 1), CancellationToken.None);
        CancelAfter(definition, trial, new TrialContext(Path.Combine(_folder.Path, "trials"), 1, CheckpointDirectory: checkpoints, LeaseEpoch: 1), epoch: 2);
        var mark = Path.Combine(checkpoints, "trial-7.e1.json");
        var model = Path.Combine(checkpoints, "trial-7.e1.model.pt");
        switch (damage)
        {
            case "mark is not JSON": File.WriteAllText(mark, "{\"Genotype\": "); break;
            case "model file truncated": Truncate(model); break;
            case "optimizer file garbage": File.WriteAllBytes(Path.Combine(checkpoints, "trial-7.e1.optimizer.pt"), RandomNumberGenerator.GetBytes(300)); break;
            case "model file missing": File.Delete(model); break;
            case "old mark without hashes, model file truncated":
                var json = JsonNode.Parse(File.ReadAllText(mark))!.AsObject();
                json.Remove("ModelSha256");
                json.Remove("OptimizerSha256");
                File.WriteAllText(mark, json.ToJsonString());
                Truncate(model); // now only loading can tell, half-way through the model
                break;
        }
        var warnings = new List<string>();
        using var evaluator = new TorchTrialEvaluator(definition, new TorchEvaluatorOptions { Warning = warnings.Add });

        var metrics = evaluator.Train(trial, new TrialContext(Path.Combine(_folder.Path, "trials"), 1, CheckpointDirectory: checkpoints, LeaseEpoch: 2), CancellationToken.None);

        var warning = Assert.Single(warnings);
        Assert.Contains(mark, warning);
        Assert.Throws<KeyNotFoundException>(() => metrics.Get(MetricNames.ResumedFromEpoch));
        // From epoch 0 with the untouched initial weights: exactly the uninterrupted run.
        Assert.Equal(uninterrupted.ValidationAccuracy, metrics.ValidationAccuracy);
        Assert.Equal(uninterrupted.ValidationLoss, metrics.ValidationLoss, 6);
    }

    [Fact]
    public void An_attempt_removes_stale_temporaries_of_its_own_and_older_epochs_only()
    {
        var (definition, trial) = Trial(epochs: 1);
        var checkpoints = Path.Combine(_folder.Path, "checkpoints");
        var artifacts = Path.Combine(_folder.Path, "trials");
        Directory.CreateDirectory(checkpoints);
        Directory.CreateDirectory(artifacts);
        string Temporary(string folder, string name) => Path.Combine(folder, $"{name}.{Guid.NewGuid():N}.tmp");
        var stale = new[] { Temporary(checkpoints, "trial-7.model.pt"), Temporary(checkpoints, "trial-7.e1.json"), Temporary(artifacts, "trial-7.e2.pt") };
        var kept = new[] { Temporary(checkpoints, "trial-7.e3.model.pt"), Temporary(checkpoints, "trial-70.e1.json"), Path.Combine(checkpoints, "trial-7.e1.notes.tmp") };
        foreach (var file in stale.Concat(kept)) File.WriteAllText(file, "partial");

        using var evaluator = new TorchTrialEvaluator(definition);
        evaluator.Train(trial, new TrialContext(artifacts, 1, CheckpointDirectory: checkpoints, LeaseEpoch: 2), CancellationToken.None);

        Assert.All(stale, file => Assert.False(File.Exists(file), file));
        Assert.All(kept, file => Assert.True(File.Exists(file), file));
    }

    private static (NasActors.Core.Specs.SearchDefinition, TrialRequest) Trial(int epochs)
    {
        var definition = TestData.Digits();
        var trial = new TrialRequest(7, TestData.Mlp((MlpSpace)definition.Space, 2, [64, 32], "relu", 0.0, 3e-3), new Fidelity(epochs), 21);
        return (definition, trial);
    }

    /// <summary>Runs an attempt that is cancelled right after <paramref name="epoch"/> was checkpointed (its trainer died).</summary>
    private static void CancelAfter(NasActors.Core.Specs.SearchDefinition definition, TrialRequest trial, TrialContext context, int epoch)
    {
        using var cancel = new CancellationTokenSource();
        using var evaluator = new TorchTrialEvaluator(definition, new TorchEvaluatorOptions { AfterEpoch = (_, e) => { if (e == epoch) cancel.Cancel(); } });
        Assert.ThrowsAny<OperationCanceledException>(() => evaluator.Train(trial, context, cancel.Token));
    }

    private static void Truncate(string file)
    {
        using var stream = new FileStream(file, FileMode.Open);
        stream.SetLength(stream.Length / 2);
    }

    private static string Digest(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
}
