using NasActors.Core.Strategies.Supernet;
using static NasActors.Core.Tests.Strategies.StrategyTestKit;

namespace NasActors.Core.Tests.Strategies.Supernet;

public sealed class SposSearchTests
{
    private static SposOptions Options => new(Population: 10, Generations: 4, Parents: 3);

    /// <summary>Runs phase 2 against the synthetic objective as the inherited-weight score.</summary>
    private static SubnetEvolution Evolve(long seed)
    {
        var evolution = new SubnetEvolution(Context(seed), Options);
        while (evolution.NextGeneration() is { Count: > 0 } generation)
            foreach (var g in generation)
                evolution.Record(g, Score(new(0, g, new(9), 0)));
        return evolution;
    }

    [Fact]
    public void Evolution_scores_each_subnet_once_and_is_deterministic_for_a_seed()
    {
        var a = Evolve(3);
        var b = Evolve(3);
        Assert.True(a.Done);
        Assert.Equal(4, a.Generation);
        Assert.Equal(a.Ranking.Count, a.Ranking.Select(r => r.Genotype.Canonical).Distinct().Count());
        Assert.Equal(a.Ranking.Select(r => r.Genotype.Canonical), b.Ranking.Select(r => r.Genotype.Canonical));
        Assert.NotEqual(a.Ranking.Select(r => r.Genotype.Canonical), Evolve(4).Ranking.Select(r => r.Genotype.Canonical));
    }

    [Fact]
    public void Later_generations_breed_from_the_best_and_beat_the_random_start()
    {
        var evolution = new SubnetEvolution(Context(5), Options);
        var first = evolution.NextGeneration();
        foreach (var g in first) evolution.Record(g, Score(new(0, g, new(9), 0)));
        var firstBest = evolution.Ranking[0].Score;
        while (evolution.NextGeneration() is { Count: > 0 } generation)
            foreach (var g in generation) evolution.Record(g, Score(new(0, g, new(9), 0)));
        Assert.True(evolution.Ranking[0].Score > firstBest, $"{evolution.Ranking[0].Score} after evolution vs {firstBest} at random");
    }

    [Fact]
    public void Subnets_sharing_a_path_key_are_scored_once()
    {
        var space = Mlp();
        // Only depth and activation make a path here: 3 × 3 = 9 paths at most.
        string Key(NasActors.Core.Spaces.Genotype g) => $"{space.Depth(g)}/{space.Activation(g)}";
        var evolution = new SubnetEvolution(Context(5), Options with { Population = 20, Generations = 3 }, Key);
        while (evolution.NextGeneration() is { Count: > 0 } generation)
            foreach (var g in generation) evolution.Record(g, Score(new(0, g, new(9), 0)));
        Assert.InRange(evolution.Ranking.Count, 2, 9);
        Assert.Equal(evolution.Ranking.Count, evolution.Ranking.Select(r => Key(r.Genotype)).Distinct().Count());
    }

    [Fact]
    public void A_generation_waits_for_the_scores_of_the_previous_one()
    {
        var evolution = new SubnetEvolution(Context(5), Options);
        var first = evolution.NextGeneration();
        Assert.Equal(10, first.Count);
        Assert.Empty(evolution.NextGeneration());
        foreach (var g in first.Skip(1)) evolution.Record(g, 0.5);
        Assert.Empty(evolution.NextGeneration());
        evolution.Record(first[0], 0.6);
        Assert.NotEmpty(evolution.NextGeneration());
    }

    [Fact]
    public void Proposes_nothing_before_the_ranking_then_the_ranking_in_order_and_restores()
    {
        var context = Context(2);
        var strategy = new SposSearch(context, Options);
        Assert.Null(strategy.Ask(0));
        var ranking = Evolve(2).Ranking.Select(r => r.Genotype).Take(3).ToArray();
        strategy.Rank(ranking);
        Assert.Equal(ranking[0], strategy.Ask(1)!.Genotype);

        var restored = new SposSearch(context, Options);
        restored.RestoreState(strategy.SaveState());
        Assert.True(restored.Ranked);
        Assert.Equal(ranking[1], restored.Ask(2)!.Genotype);
        Assert.Equal(ranking[2], restored.Ask(3)!.Genotype);
        Assert.Null(restored.Ask(4));
        Assert.Throws<InvalidOperationException>(() => restored.Rank(ranking));
    }
}
