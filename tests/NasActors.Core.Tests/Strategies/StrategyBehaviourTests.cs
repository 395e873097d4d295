namespace NasActors.Core.Tests.Strategies;

/// <summary>What distinguishes each strategy, beyond the shared contract.</summary>
public sealed class StrategyBehaviourTests
{
    private static readonly Nb201Space Space = new();

    private static TrialSucceeded Success(TrialRequest r) =>
        new(r.TrialId, new TrialMetrics(0, 0, 0, 1), StrategyConformanceTests.SyntheticObjective(r.Genotype));

    [Fact]
    public void Early_exit_keeps_the_random_start_under_the_parameter_threshold()
    {
        const long threshold = 300_000;
        var evolution = new RegularizedEvolution(new StrategyContext(Space, new Fidelity(1), 4), new EvolutionOptions(Population: 20, EarlyExitParameters: threshold));
        var initial = Enumerable.Range(1, 20).Select(id => evolution.Ask(id)!).ToList();
        Assert.All(initial, r => Assert.True(Space.ParameterCount(r.Genotype) <= threshold));
    }

    [Fact]
    public void Local_search_proposes_neighbours_of_its_start_then_moves_uphill()
    {
        var local = new LocalSearch(new StrategyContext(Space, new Fidelity(1), 4));
        var start = local.Ask(1)!;
        Assert.Null(local.Ask(2)); // waits for its start
        local.Tell(Success(start));
        var neighbours = Space.Neighbours(start.Genotype);
        var proposals = Enumerable.Range(2, neighbours.Count).Select(id => local.Ask(id)!).ToList();
        Assert.Equal(neighbours.OrderBy(n => n.Canonical), proposals.Select(p => p.Genotype).OrderBy(g => g.Canonical));
        foreach (var p in proposals) local.Tell(Success(p));
        var best = proposals.Append(start).MaxBy(p => StrategyConformanceTests.SyntheticObjective(p.Genotype))!;
        Assert.Equal(best.Genotype, local.Current);
    }

    [Fact]
    public void Differential_evolution_never_lets_a_target_get_worse()
    {
        var de = new DifferentialEvolution(new StrategyContext(Space, new Fidelity(1), 9), new DifferentialEvolutionOptions(Population: 6));
        var id = 1;
        double[]? previous = null;
        for (var round = 0; round < 30; round++)
        {
            var request = de.Ask(id++)!;
            de.Tell(Success(request));
            var scores = de.Population.Select(m => m.Score).ToArray();
            if (previous is not null && previous.Length == scores.Length)
                Assert.All(scores.Zip(previous), pair => Assert.True(pair.First >= pair.Second));
            previous = scores;
        }
        Assert.Equal(6, de.Population.Count);
    }

    [Fact]
    public void Registry_lists_the_new_strategies_with_their_parameters()
    {
        Assert.Contains("local", StrategyRegistry.Names);
        Assert.True(StrategyRegistry.TryGet("de", out var de));
        Assert.Equal(["population", "F", "CR"], de.Parameters.Select(p => p.Name));
        Assert.True(StrategyRegistry.TryGet("evolution", out var evolution));
        Assert.Contains(evolution.Parameters, p => p.Name == "early_exit_params");
        Assert.Contains(evolution.Parameters, p => p is { Name: "crossover", Integer: false, Max: 1 });
    }
}
