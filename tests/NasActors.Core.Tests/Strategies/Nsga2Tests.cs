using NasActors.Core.Strategies.MultiObjective;
using Xunit;
using static NasActors.Core.Tests.Strategies.StrategyTestKit;

namespace NasActors.Core.Tests.Strategies;

public sealed class Nsga2Tests
{
    [Fact]
    public void Pareto_front_is_exactly_the_non_dominated_set_of_everything_evaluated()
    {
        var strategy = new Nsga2(Context(seed: 8), new Nsga2Options(Population: 12));
        var space = Mlp();
        var results = Run(strategy, 80)
            .Select(r => new[] { r.Score, -(double)space.ParameterCount(r.Trial.Genotype) }).ToList();

        var front = strategy.ParetoFront.Select(m => m.Scores).ToList();
        Assert.NotEmpty(front);
        Assert.All(front, f => Assert.DoesNotContain(results, r => ParetoRanking.Dominates(r, f)));
        Assert.All(results, r => Assert.Contains(front, f => ParetoRanking.Dominates(f, r) || f.SequenceEqual(r)));
        Assert.Equal(12, strategy.Population.Count);
    }

    [Fact]
    public void Fronts_and_crowding_follow_deb_et_al()
    {
        double[][] points = [[3, 1], [2, 2], [1, 3], [1, 1], [2, 1.5], [0, 0]];

        var fronts = ParetoRanking.Fronts(points);
        var crowding = ParetoRanking.Crowding(points, fronts);

        Assert.Equal([0, 0, 0, 2, 1, 3], fronts);
        Assert.Equal(double.PositiveInfinity, crowding[0]);
        Assert.Equal(double.PositiveInfinity, crowding[2]);
        Assert.Equal(2.0, crowding[1], 12); // (3 − 1)/2 + (3 − 1)/2
    }
}
