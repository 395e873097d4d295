using NasActors.Core.Strategies.Predictor;

namespace NasActors.Core.Tests.Strategies;

public sealed class PredictorSearchTests
{
    private static readonly PredictorOptions Small = new(InitialRandom: 10, PoolSize: 300, RetrainEvery: 5);

    [Fact]
    public void Guided_proposals_beat_the_random_median_on_every_seed()
    {
        foreach (var seed in new long[] { 1, 2, 3 })
        {
            var guided = Run(new PredictorSearch(Context(seed), Small), 30).Skip(10).Average(r => r.Score);
            var random = Run(new RandomSearch(Context(seed)), 30).Select(r => r.Score).Order().ElementAt(15);
            Assert.True(guided > random, $"seed {seed}: guided mean {guided:F3} vs random median {random:F3}");
        }
    }

    [Fact]
    public void Restored_strategy_retrains_the_same_model_and_proposes_identically()
    {
        var original = new PredictorSearch(Context(4), Small with { RetrainEvery = 4 });
        Run(original, 18); // the model was last trained on 14 results: the snapshot holds 18
        var restored = new PredictorSearch(Context(4), Small with { RetrainEvery = 4 });
        restored.RestoreState(original.SaveState());

        var a = Run(original, 6, firstId: 100).Select(r => r.Trial.Genotype);
        var b = Run(restored, 6, firstId: 100).Select(r => r.Trial.Genotype);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Pruning_drops_the_weak_options_of_a_decision_that_dominates_the_trees()
    {
        var space = Mlp();
        var strategy = new PredictorSearch(Context(5), Small with { PruneImportance = 0.3 });

        Run(strategy, 16, t => space.Activation(t.Genotype) == "gelu" ? 1 : 0);

        Assert.Equal([1], strategy.AllowedOptions[space.IndexOf("act")]);
    }
}
