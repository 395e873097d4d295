using NasActors.Core.Strategies.MultiFidelity;
using Xunit;
using static NasActors.Core.Tests.Strategies.StrategyTestKit;

namespace NasActors.Core.Tests.Strategies;

public sealed class AshaTests
{
    private static Asha Create() => new(Context(epochs: 9), new MultiFidelityOptions(MinEpochs: 1, Eta: 3));

    [Fact]
    public void Promotes_as_soon_as_a_result_is_in_the_top_third_of_its_rung_without_waiting()
    {
        var strategy = Create();
        var trials = Enumerable.Range(0, 5).Select(id => strategy.Ask(id)!).ToList();
        strategy.Tell(Succeed(trials[3], 0.2));
        strategy.Tell(Succeed(trials[0], 0.9));
        strategy.Tell(Succeed(trials[4], 0.5)); // trials 1 and 2 still running

        var promoted = strategy.Ask(5)!;
        Assert.Equal(trials[0].Genotype, promoted.Genotype);
        Assert.Equal(trials[0].Seed, promoted.Seed); // continues that trial from its checkpoint
        Assert.Equal(3, promoted.Fidelity.Epochs);

        var fresh = strategy.Ask(6)!; // ⌊3/3⌋ = 1 promotion used up: start a new configuration
        Assert.Equal(1, fresh.Fidelity.Epochs);
        Assert.DoesNotContain(fresh.Seed, trials.Select(t => t.Seed));
    }

    [Fact]
    public void Never_waits_and_climbs_to_the_top_rung()
    {
        var strategy = Create();
        var results = Run(strategy, 60);

        Assert.Contains(results, r => r.Trial.Fidelity.Epochs == 9);
        var top = strategy.Rungs[2].Count;
        var middle = strategy.Rungs[1].Count;
        Assert.InRange(top, 1, middle / 3);
    }
}
