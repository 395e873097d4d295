using NasActors.Core.Benchmarks;
using NasActors.Core.Randomness;
using NasActors.Core.Specs;
using NasActors.Core.Strategies.OneShot;
using NasActors.Core.Tests.Strategies;

namespace NasActors.Core.Tests.Strategies.OneShot;

public sealed class OneShotStrategyTests
{
    private static readonly Nb201Space Space = new();

    private static double[] Row(int best, double top = 0.6) =>
        Enumerable.Range(0, 5).Select(k => k == best ? top : (1 - top) / 4).ToArray();

    [Fact]
    public void Darts_derives_the_argmax_cell_none_included_then_the_closest_runners_up()
    {
        // Edge 0 prefers 'none'; edge 3's runner-up (avg_pool, 0.30) is closest to its winner (0.35).
        var p = new[] { Row(0), Row(3), Row(2), new[] { 0.1, 0.1, 0.15, 0.35, 0.30 }, Row(1, 0.9), Row(4) };

        var cells = DartsDerivation.Rank(Space, p, 3);

        Assert.Equal("|none~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|nor_conv_3x3~0|skip_connect~1|avg_pool_3x3~2|", cells[0].Canonical);
        Assert.Equal("|none~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|avg_pool_3x3~0|skip_connect~1|avg_pool_3x3~2|", cells[1].Canonical);
        Assert.Equal(3, cells.Count);
        Assert.Equal(cells.Count, cells.Select(c => c.Canonical).Distinct().Count());
        Assert.Throws<ArgumentException>(() => DartsDerivation.Rank(Space, p.Take(5).ToArray(), 1));
    }

    [Fact]
    public void Edge_agents_rewarded_like_a_supernet_learn_a_planted_best_op_per_edge()
    {
        // A toy supernet: a path's validation-batch accuracy is the share of edges holding the planted op, plus batch noise.
        int[] planted = [3, 2, 3, 1, 3, 4];
        var noise = new SeededRandom(9);
        double Reward(Genotype path) =>
            Math.Clamp(0.4 + 0.5 * Enumerable.Range(0, 6).Count(e => (int)path[e] == planted[e]) / 6.0 + 0.1 * (noise.NextDouble() - 0.5), 0, 1);
        var agents = new ManasEdgeAgents(Space, new ManasSupernetOptions(Gamma: 0.2), seed: 4);
        var early = Enumerable.Range(0, 50).Average(_ => agents.Round(Reward).Reward);

        for (var r = 0; r < 1500; r++) agents.Round(Reward);
        var late = Enumerable.Range(0, 50).Average(_ => agents.Round(Reward).Reward);

        Assert.Equal(planted.Select(p => (double)p), agents.Best.Values);
        Assert.True(late > early + 0.1, $"mean reward {early:F3} early, {late:F3} late");
        Assert.All(agents.Agents, a => Assert.True(a.Probabilities().Max() > 0.5, $"{a.Name}: {string.Join(", ", a.Probabilities())}"));
    }

    [Fact]
    public void Edge_agents_need_categorical_decisions()
    {
        var mlp = StrategyTestKit.Mlp();
        Assert.Throws<ArgumentException>(() => new ManasEdgeAgents(mlp, new ManasSupernetOptions(), 1));
    }

    [Theory]
    [InlineData("darts", "steps", 40)]
    [InlineData("manas-supernet", "rounds", 40)]
    public void Both_methods_build_from_a_spec_and_retrain_the_cells_they_are_given_in_order(string name, string length, double value)
    {
        var spec = new StrategySpec(name, new Dictionary<string, double> { [length] = value, ["channels"] = 4, ["resolution"] = 14 });
        var context = new StrategyContext(Space, new Fidelity(2), 3);
        var strategy = (RetrainDerivedSearch)StrategyRegistry.Create(spec, context);
        var network = strategy switch
        {
            DartsSearch d => (d.Options.Steps == 40 ? d.Options.Network : null),
            ManasSupernetSearch m => (m.Options.Rounds == 40 ? m.Options.Network : null),
            _ => null
        };
        Assert.Equal(new OneShotNetwork(4, 1, 14), network);

        Assert.Null(strategy.Ask(0));
        var cells = new[] { Space.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|"), Space.Sample(new SeededRandom(2)) };
        strategy.Rank(cells);
        Assert.Throws<InvalidOperationException>(() => strategy.Rank(cells));
        var first = strategy.Ask(1)!;
        Assert.Equal(cells[0], first.Genotype);

        var restored = (RetrainDerivedSearch)StrategyRegistry.Create(spec, context);
        restored.RestoreState(strategy.SaveState());
        Assert.True(restored.Ranked);
        Assert.Equal(cells[1], restored.Ask(2)!.Genotype);
        Assert.Null(restored.Ask(3));
    }

    [Fact]
    public void Kendall_tau_is_one_for_the_same_order_minus_one_for_the_reverse_and_tau_b_with_ties()
    {
        double[] x = [1, 2, 3, 4, 5];
        Assert.Equal(1.0, KendallTau.Of(x, [10, 20, 30, 40, 50]), 12);
        Assert.Equal(-1.0, KendallTau.Of(x, [5, 4, 3, 2, 1]), 12);
        // 8 concordant pairs, 1 discordant, 1 tied in y only: τ-b = 7 / √(9 · 10)
        Assert.Equal(0.7378647873726218, KendallTau.Of(x, [1, 3, 2, 4, 4]), 12);
        Assert.Throws<ArgumentException>(() => KendallTau.Of(x, [1, 2]));
    }
}
