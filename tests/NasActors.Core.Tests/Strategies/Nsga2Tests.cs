using NasActors.Core.Constraints;
using NasActors.Core.Randomness;
using NasActors.Core.Specs;
using NasActors.Core.Strategies.MultiObjective;

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

    [Fact]
    public void Constraint_domination_puts_feasible_first_then_smaller_violations()
    {
        double[][] points = [[1, 1], [5, 5], [4, 6], [9, 9], [0, 0]];
        double[] violations = [0, 0.2, 0, 0.5, 0];

        // Feasible: (1, 1) and (0, 0) are dominated by (4, 6); then the infeasible ones by violation, whatever their scores.
        Assert.Equal([1, 3, 0, 4, 2], ParetoRanking.Fronts(points, violations));
        Assert.True(ParetoRanking.ConstrainedDominates([0, 0], 0, [9, 9], 0.5));
        Assert.True(ParetoRanking.ConstrainedDominates([0, 0], 0.1, [9, 9], 0.5));
        Assert.False(ParetoRanking.ConstrainedDominates([9, 9], 0.5, [0, 0], 0.1));
    }

    [Fact]
    public void Soft_limits_are_respected_by_the_front_and_the_population()
    {
        var space = Mlp();
        var random = new SeededRandom(3);
        var sizes = Enumerable.Range(0, 400).Select(_ => space.ParameterCount(space.Sample(random))).Order().ToArray();
        var limit = (double)sizes[sizes.Length / 2];
        var soft = new ConstraintChecker(new CostModel(space), [new LimitSpec(CostQuantities.Params, limit, Hard: false)]);
        // Accuracy grows with size here, so the unconstrained accuracy/size front reaches far beyond the limit.
        var objectives = new[] { new ObjectiveSpec("val_accuracy", true), new ObjectiveSpec(CostQuantities.Params, false) };

        Nsga2 Search(ConstraintChecker constraints)
        {
            var strategy = new Nsga2(Context(seed: 8) with { Constraints = constraints }, new Nsga2Options(objectives, Population: 12));
            Run(strategy, 120, t => Score(t) + 0.00002 * space.ParameterCount(t.Genotype));
            return strategy;
        }

        var free = Search(ConstraintChecker.None(space));
        var limited = Search(soft);

        Assert.Contains(free.ParetoFront, m => space.ParameterCount(m.Genotype) > limit);
        Assert.All(limited.ParetoFront, m => Assert.True(space.ParameterCount(m.Genotype) <= limit, $"{m.Genotype} over the soft limit {limit} is on the front"));
        Assert.True(limited.Population.Count(m => space.ParameterCount(m.Genotype) <= limit) >= 10,
            $"{limited.Population.Count(m => space.ParameterCount(m.Genotype) > limit)} of 12 members over the soft limit");
        Assert.True(limited.Hypervolume() > 0);
    }
}
