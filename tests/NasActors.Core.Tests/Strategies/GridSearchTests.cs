using NasActors.Core.Spaces;
using NasActors.Core.Strategies;
using NasActors.Core.Trials;
using Xunit;
using static NasActors.Core.Tests.Strategies.StrategyTestKit;

namespace NasActors.Core.Tests.Strategies;

public sealed class GridSearchTests
{
    private static MlpSpace Small() => new(new MlpSpaceOptions([1, 2], [16, 64], ["relu", "tanh"], [0.0],
        new LogUniformDecision("lr", 1e-3, 1e-2), InputFeatures: 4, Classes: 2));

    [Fact]
    public void Trains_every_distinct_configuration_repeats_times_in_a_row_then_stops()
    {
        // depth 1: 2 widths, depth 2: 4 width pairs (the second width is inactive at depth 1) → 6 × 2 activations × 3 rates.
        var strategy = new GridSearch(new StrategyContext(Small(), new Fidelity(30), 5), gridPoints: 3, repeats: 3);
        Assert.Equal(36, strategy.Configurations);

        var trials = Enumerable.Range(0, 108).Select(id => strategy.Ask(id)!).ToList();
        foreach (var t in trials) strategy.Tell(Succeed(t, 0.5));

        Assert.Null(strategy.Ask(108));
        Assert.Equal(36, trials.Select(t => t.Genotype.Canonical).Distinct().Count());
        Assert.All(trials.Chunk(3), triple => Assert.Single(triple.Select(t => t.Genotype.Canonical).Distinct()));
        Assert.Equal(108, trials.Select(t => t.Seed).Distinct().Count());
        // Three log-spaced points, as the genotype stores them (three significant digits).
        Assert.Equal([1e-3, 3.16e-3, 1e-2], trials.Select(t => Small().LearningRate(t.Genotype)).Distinct().Order().ToArray());
    }

    [Fact]
    public void The_order_is_a_permutation_drawn_from_the_seed()
    {
        string[] Order(long seed)
        {
            var strategy = new GridSearch(new StrategyContext(Small(), new Fidelity(30), seed), 3, 1);
            return Enumerable.Range(0, 36).Select(id => strategy.Ask(id)!.Genotype.Canonical).ToArray();
        }

        Assert.Equal(Order(1), Order(1));
        Assert.NotEqual(Order(1), Order(2));
        Assert.Equal(Order(1).Order(), Order(2).Order());
    }

    [Fact]
    public void A_restored_grid_continues_where_it_stopped()
    {
        var context = new StrategyContext(Small(), new Fidelity(30), 5);
        var original = new GridSearch(context, 3, 2);
        var first = Enumerable.Range(0, 10).Select(id => original.Ask(id)!).ToList();
        foreach (var t in first) original.Tell(Succeed(t, 0.5));

        var restored = new GridSearch(context, 3, 2);
        restored.RestoreState(original.SaveState());

        Assert.Equal(original.Ask(10)!.Genotype, restored.Ask(10)!.Genotype);
    }

    [Fact]
    public void A_failed_training_is_proposed_again_before_the_grid_goes_on()
    {
        var strategy = new GridSearch(new StrategyContext(Small(), new Fidelity(30), 5), 3, 1);
        var first = strategy.Ask(0)!;
        var second = strategy.Ask(1)!;
        strategy.Tell(new TrialFailedOutcome(first.TrialId, "lease lost"));
        strategy.Tell(Succeed(second, 0.5));

        var again = strategy.Ask(2)!;
        Assert.Equal(first.Genotype, again.Genotype);
        Assert.NotEqual(first.Seed, again.Seed);
        Assert.NotEqual(first.Genotype, strategy.Ask(3)!.Genotype);
    }
}
