using NasActors.Core.Constraints;
using NasActors.Core.Specs;
using NasActors.Core.Strategies.Manas;
using NasActors.Core.Strategies.Reinforcement;
using NasActors.Core.Tests.Benchmarks;
using NasActors.Core.Tests.Strategies.Smoke;

namespace NasActors.Core.Tests.Strategies;

/// <summary>
/// REINFORCE and MANAS at their default settings learn on objectives of any scale and direction, because their
/// rewards are ranks (<see cref="RewardRanks"/>). Each runs 200 trials per seed on the NB201 table, for five seeds,
/// on a minimised loss (−ln of the 12-epoch validation accuracy) and on accuracy with a soft latency limit
/// (Pixel 3 latency, the median cell's, weight 1: the penalty is the relative overshoot).
/// </summary>
public sealed class ScaleFreeRewardTests(Nb201Fixture nb201) : IClassFixture<Nb201Fixture>
{
    private const int Trials = 200;
    private static readonly long[] Seeds = [1, 2, 3, 4, 5];
    private readonly Nb201SearchSignal _signal = new(nb201.Accuracy);

    public static TheoryData<string, string> Cases => new()
    {
        { ReinforceSearch.Name, "loss" }, { ReinforceSearch.Name, "latency" },
        { ManasSearch.Name, "loss" }, { ManasSearch.Name, "latency" }
    };

    [Theory, MemberData(nameof(Cases))]
    public void Default_settings_converge_on_loss_and_latency_penalised_objectives(string strategy, string objective)
    {
        var space = new Nb201Space();
        var constraints = objective == "latency" ? LatencyLimit(space) : ConstraintChecker.None(space);
        Func<Genotype, double> score = objective == "loss"
            ? g => Math.Log(_signal.Accuracy(g)) // −loss: the engine maximises scores; the strategy sees it on a ~[-2.3, -0.16] scale
            : g => _signal.Accuracy(g) - constraints.Penalty(g);

        var learner = Seeds.Select(seed => Objectives(StrategyRegistry.Create(new StrategySpec(strategy, new Dictionary<string, double>()),
            Context(space, constraints, seed)), score)).ToList();
        var random = Seeds.SelectMany(seed => Objectives(new RandomSearch(Context(space, constraints, seed)), score)).ToList();

        var firstQuarter = learner.Average(run => run.Take(Trials / 4).Average());
        var lastQuarter = learner.Average(run => run.TakeLast(Trials / 4).Average());
        var randomMean = random.Average();
        var randomStd = Math.Sqrt(random.Average(v => (v - randomMean) * (v - randomMean)));
        var summary = $"{strategy} on {objective}: first quarter {firstQuarter:0.0000}, last quarter {lastQuarter:0.0000}, random {randomMean:0.0000} ± {randomStd:0.0000}";
        Assert.True(lastQuarter > firstQuarter + 0.25 * randomStd, summary);
        Assert.True(lastQuarter > randomMean + 0.5 * randomStd, summary);
    }

    private static StrategyContext Context(SearchSpace space, ConstraintChecker constraints, long seed) =>
        new(space, new Fidelity(SmokeRun.TableEpochs), seed) { Constraints = constraints };

    /// <summary>A soft limit at the median Pixel 3 latency of the table's cells.</summary>
    private static ConstraintChecker LatencyLimit(SearchSpace space)
    {
        var source = new LatencySource("pixel3", RepoFiles.Data("nb201/nb201_latency_ms.csv"), RepoFiles.Data("nb201/nb201_accuracy.csv"));
        var costs = new CostModel(space);
        var random = new NasActors.Core.Randomness.SeededRandom(99);
        var latencies = Enumerable.Range(0, 400).Select(_ => costs.Measure(space.Sample(random), CostQuantities.Latency, source)).Order().ToArray();
        return new ConstraintChecker(costs, [new LimitSpec(CostQuantities.Latency, latencies[latencies.Length / 2], Hard: false, Weight: 1, Latency: source)]);
    }

    private static List<double> Objectives(ISearchStrategy strategy, Func<Genotype, double> score)
    {
        var objectives = new List<double>();
        for (var id = 0; id < Trials; id++)
        {
            var trial = strategy.Ask(id)!;
            var objective = score(trial.Genotype);
            strategy.Tell(new TrialSucceeded(id, new TrialMetrics(0, 0, 0, 1), objective));
            objectives.Add(objective);
        }
        return objectives;
    }
}
