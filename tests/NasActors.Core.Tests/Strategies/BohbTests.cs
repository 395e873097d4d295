using NasActors.Core.Strategies;
using NasActors.Core.Strategies.MultiFidelity;
using NasActors.Core.Trials;
using Xunit;
using static NasActors.Core.Tests.Strategies.StrategyTestKit;

namespace NasActors.Core.Tests.Strategies;

public sealed class BohbTests
{
    [Fact]
    public void Model_based_configurations_beat_random_ones_on_a_synthetic_problem()
    {
        double bohb = 0, random = 0;
        foreach (var seed in new long[] { 1, 2, 3 })
        {
            bohb += MeanFreshScore(new Bohb(Context(seed, epochs: 9), new MultiFidelityOptions(), new BohbOptions(RandomFraction: 0)));
            random += MeanFreshScore(new Hyperband(Context(seed, epochs: 9), new MultiFidelityOptions()));
        }
        Assert.True(bohb > random + 0.03, $"bohb {bohb / 3:F3} vs random {random / 3:F3}");
    }

    /// <summary>Mean full-fidelity score of the configurations first proposed after trial 60 (once the model is fitted).</summary>
    private static double MeanFreshScore(StrategyBase strategy)
    {
        var seen = new HashSet<string>();
        var fresh = new List<double>();
        foreach (var (trial, _) in Run(strategy, 150))
        {
            if (seen.Add(trial.Genotype.Canonical) && trial.TrialId >= 60)
                fresh.Add(Score(trial with { Fidelity = new Fidelity(9) }));
        }
        return fresh.Average();
    }

    [Theory]
    [InlineData(15, null)]          // 8 good would leave 7 bad: too few for two disjoint sets of 8
    [InlineData(16, 8)]
    [InlineData(100, 15)]
    public void Good_and_bad_sets_are_disjoint_and_each_has_min_points(int results, int? good)
    {
        var bohb = new Bohb(Context(epochs: 9), new MultiFidelityOptions(), new BohbOptions(TopFraction: 0.15, MinPoints: 8));
        var split = bohb.Split(results);
        Assert.Equal(good, split?.Good);
        if (split is { } s)
        {
            Assert.Equal(results, s.Good + s.Bad);
            Assert.True(s.Bad >= 8);
        }
    }

    [Fact]
    public void Parzen_density_prefers_the_region_of_its_observations()
    {
        var space = Mlp();
        var gelu = space.Create([1, 0, 0, 0, 1, 0, 3e-3]);
        var tanh = space.Create([1, 0, 0, 0, 2, 0, 3e-3]);
        var density = new ParzenDensity(space, [gelu, gelu, space.Create([1, 1, 0, 0, 1, 0, 1e-3])], 0.2, 1e-3);

        Assert.True(density.Density(gelu) > 3 * density.Density(tanh));
        Assert.True(density.Density(gelu) > density.Density(space.Create([1, 0, 0, 0, 1, 0, 0.1])));
    }
}
