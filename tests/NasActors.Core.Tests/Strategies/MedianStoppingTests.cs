using NasActors.Core.Strategies.MultiFidelity;
using NasActors.Core.Trials;
using Xunit;
using static NasActors.Core.Tests.Strategies.StrategyTestKit;

namespace NasActors.Core.Tests.Strategies;

public sealed class MedianStoppingTests
{
    private static MedianStopping Create(int minTrials = 3) =>
        new(Context(epochs: 9), new MedianStoppingOptions(MinEpochs: 1, Interval: 4, MinTrials: minTrials));

    [Fact]
    public void Steps_run_from_min_epochs_by_the_interval_up_to_the_full_training()
    {
        Assert.Equal([1, 5, 9], Create().Steps);
        Assert.Equal([3, 6, 9, 10], new MedianStopping(Context(epochs: 10), new MedianStoppingOptions(MinEpochs: 3, Interval: 3)).Steps);
    }

    [Fact]
    public void Continues_a_trial_at_or_above_the_median_of_its_step_with_its_seed_and_stops_one_below()
    {
        var strategy = Create(minTrials: 3);
        var first = Enumerable.Range(0, 5).Select(id => strategy.Ask(id)!).ToList();
        Assert.All(first, t => Assert.Equal(1, t.Fidelity.Epochs));
        // The first three always continue (fewer than min_trials reports before them).
        foreach (var (trial, score) in first.Take(3).Zip(new[] { 0.2, 0.4, 0.6 })) strategy.Tell(Succeed(trial, score));
        var continued = Enumerable.Range(5, 3).Select(id => strategy.Ask(id)!).ToList();
        Assert.Equal(first.Take(3).Select(t => (t.Genotype, t.Seed)), continued.Select(t => (t.Genotype, t.Seed)));
        Assert.All(continued, t => Assert.Equal(5, t.Fidelity.Epochs));

        strategy.Tell(Succeed(first[3], 0.3)); // median of 0.2, 0.4, 0.6 is 0.4: stopped
        strategy.Tell(Succeed(first[4], 0.5)); // median of 0.2, 0.3, 0.4, 0.6 is 0.35: continues
        var next = strategy.Ask(8)!;
        Assert.Equal((first[4].Genotype, first[4].Seed, 5), (next.Genotype, next.Seed, next.Fidelity.Epochs));
        var fresh = strategy.Ask(9)!; // nothing else to continue: a new configuration on the first step
        Assert.Equal(1, fresh.Fidelity.Epochs);
        Assert.DoesNotContain(fresh.Seed, first.Select(t => t.Seed));
    }

    [Fact]
    public void A_trial_at_the_last_step_is_finished_and_never_continued()
    {
        var strategy = Create(minTrials: 0);
        var trial = strategy.Ask(0)!;
        for (var id = 1; trial.Fidelity.Epochs < 9; id++)
        {
            strategy.Tell(Succeed(trial, 0.9));
            trial = strategy.Ask(id)!;
        }
        strategy.Tell(Succeed(trial, 0.9));
        Assert.Equal(1, strategy.Ask(100)!.Fidelity.Epochs);
    }
}
