using Xunit;
using System.Diagnostics;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;
using NasActors.Training.Models;
using NasActors.Training.Trials;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NasActors.Training.Tests;

public sealed class TorchTrialEvaluatorTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly TempDirectory _artifacts = new();
    private readonly TorchTrialEvaluator _evaluator;
    private readonly MlpSpace _space;

    public TorchTrialEvaluatorTests(ITestOutputHelper output)
    {
        _output = output;
        var definition = TestData.Digits();
        _evaluator = new TorchTrialEvaluator(definition);
        _space = (MlpSpace)definition.Space;
    }

    public void Dispose()
    {
        _evaluator.Dispose();
        _artifacts.Dispose();
    }

    [Fact]
    public void Dataset_is_split_once_by_the_search_seed()
    {
        Assert.Equal(1797, _evaluator.TrainCount + _evaluator.ValidationCount);
        Assert.Equal(359, _evaluator.ValidationCount);
    }

    [Fact]
    public async Task Reasonable_genotype_learns_digits_in_a_few_epochs()
    {
        var trial = new TrialRequest(1, TestData.Mlp(_space, 1, [64], "relu", 0.0, 3e-3), new Fidelity(5), 11);

        var metrics = await _evaluator.EvaluateAsync(trial, TestData.Context(_artifacts.Path), CancellationToken.None);

        _output.WriteLine($"acc {metrics.ValidationAccuracy} loss {metrics.ValidationLoss} s {metrics.Seconds}");
        Assert.True(metrics.ValidationAccuracy > 0.85, $"validation accuracy {metrics.ValidationAccuracy}");
        Assert.InRange(metrics.ValidationAccuracy, 0, 1);
        Assert.Equal(_space.ParameterCount(trial.Genotype), metrics.Parameters);
        Assert.True(metrics.Seconds > 0);
        Assert.True(metrics.Get("epoch_seconds") > 0 && metrics.Get("epoch_seconds") <= metrics.Seconds);
        Assert.True(metrics.Get("train_loss") < 1.0, $"train loss {metrics.Get("train_loss")}");
        Assert.True(File.Exists(TorchTrialEvaluator.WeightsPath(_artifacts.Path, 1)));
        Assert.Empty(Directory.GetFiles(_artifacts.Path, "*.tmp"));
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.3, 0.5)]
    public async Task Same_trial_twice_gives_identical_metrics(double dropout, double fraction)
    {
        var genotype = TestData.Mlp(_space, 2, [64, 32], "gelu", dropout, 1e-3);
        var first = await _evaluator.EvaluateAsync(new TrialRequest(1, genotype, new Fidelity(2, fraction), 99), TestData.Context(_artifacts.Path), CancellationToken.None);
        var second = await _evaluator.EvaluateAsync(new TrialRequest(2, genotype, new Fidelity(2, fraction), 99), TestData.Context(_artifacts.Path), CancellationToken.None);
        var otherSeed = await _evaluator.EvaluateAsync(new TrialRequest(3, genotype, new Fidelity(2, fraction), 100), TestData.Context(_artifacts.Path), CancellationToken.None);

        Assert.Equal(first.ValidationAccuracy, second.ValidationAccuracy);
        Assert.Equal(first.ValidationLoss, second.ValidationLoss);
        Assert.Equal(first.Get("train_loss"), second.Get("train_loss"));
        Assert.NotEqual(first.ValidationLoss, otherSeed.ValidationLoss);
    }

    [Fact]
    public async Task Trials_without_dropout_are_reproducible_even_when_trained_side_by_side()
    {
        // Init, subsampling and shuffling use per-trial generators, so concurrency cannot disturb them.
        var a = new TrialRequest(1, TestData.Mlp(_space, 2, [64, 32], "relu", 0.0, 1e-3), new Fidelity(2, 0.8), 21);
        var b = new TrialRequest(2, TestData.Mlp(_space, 1, [128], "tanh", 0.0, 3e-3), new Fidelity(2), 22);
        var context = TestData.Context(_artifacts.Path);
        var alone = (await _evaluator.EvaluateAsync(a, context, CancellationToken.None), await _evaluator.EvaluateAsync(b, context, CancellationToken.None));

        var together = await Task.WhenAll(_evaluator.EvaluateAsync(a, context, CancellationToken.None), _evaluator.EvaluateAsync(b, context, CancellationToken.None));

        Assert.Equal(alone.Item1.ValidationLoss, together[0].ValidationLoss);
        Assert.Equal(alone.Item2.ValidationLoss, together[1].ValidationLoss);
    }

    [Fact]
    public async Task Cancellation_stops_training_promptly()
    {
        // Far too many epochs to finish: only cancellation can end this trial quickly.
        var trial = new TrialRequest(1, TestData.Mlp(_space, 3, [128, 128, 128], "relu", 0.1, 1e-3), new Fidelity(10_000), 5);
        using var cancellation = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();

        var running = _evaluator.EvaluateAsync(trial, TestData.Context(_artifacts.Path), cancellation.Token);
        await Task.Delay(300);
        cancellation.Cancel();
        var cancelledAt = clock.Elapsed;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.True(clock.Elapsed - cancelledAt < TimeSpan.FromSeconds(1), $"took {clock.Elapsed - cancelledAt} after cancelling");
        Assert.False(File.Exists(TorchTrialEvaluator.WeightsPath(_artifacts.Path, 1)));
    }

    [Fact]
    public async Task Already_cancelled_token_throws_without_training()
    {
        var trial = new TrialRequest(1, TestData.Mlp(_space, 1, [32], "relu", 0.0, 1e-3), new Fidelity(1), 5);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _evaluator.EvaluateAsync(trial, TestData.Context(_artifacts.Path), new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task Saved_weights_reload_into_an_equal_model()
    {
        var genotype = TestData.Mlp(_space, 2, [128, 64], "tanh", 0.1, 1e-3);
        await _evaluator.EvaluateAsync(new TrialRequest(7, genotype, new Fidelity(1), 3), TestData.Context(_artifacts.Path), CancellationToken.None);
        var path = TorchTrialEvaluator.WeightsPath(_artifacts.Path, 7);

        using var first = MlpModel.Load(_space, genotype, path);
        using var second = MlpModel.Load(_space, genotype, path);
        using var untrained = MlpModel.Create(_space, genotype, new Generator(3));
        untrained.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var batch = rand(16, 64, generator: new Generator(1));

        var a = first.forward(batch);
        Assert.True(TensorAssert.Same(a, second.forward(batch)));
        Assert.False(a.allclose(untrained.forward(batch)));
        Assert.Equal(first.parameters().Select(p => p.shape), second.parameters().Select(p => p.shape));
    }

    [Fact]
    public async Task Weights_of_another_genotype_are_refused()
    {
        var genotype = TestData.Mlp(_space, 1, [32], "relu", 0.0, 1e-3);
        await _evaluator.EvaluateAsync(new TrialRequest(8, genotype, new Fidelity(1), 3), TestData.Context(_artifacts.Path), CancellationToken.None);

        var other = TestData.Mlp(_space, 1, [64], "relu", 0.0, 1e-3);
        Assert.ThrowsAny<Exception>(() => MlpModel.Load(_space, other, TorchTrialEvaluator.WeightsPath(_artifacts.Path, 8)));
    }

    [Fact]
    public void Dataset_that_does_not_match_the_definition_is_refused()
    {
        var definition = TestData.Digits();
        var wrong = definition with { Shape = new Core.Specs.DatasetShape(10, 3) };
        wrong = Core.Specs.SearchDefinition.From(wrong.Spec, wrong.Shape);

        var error = Assert.Throws<InvalidOperationException>(() => new TorchTrialEvaluator(wrong));
        Assert.Contains("64 features", error.Message);
    }
}
