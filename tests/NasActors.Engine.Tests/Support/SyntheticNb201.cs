using System.Globalization;
using System.Text;
using NasActors.Core.Benchmarks;
using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;

namespace NasActors.Engine.Tests.Support;

/// <summary>
/// A made-up NB201 table (every one of the 15,625 cells) written to a temp file: the signal rewards
/// convolutions, the cost is distinct per cell, and the report columns come from a function the test
/// chooses, so two tables can differ in their report columns only.
/// </summary>
public static class SyntheticNb201
{
    public static readonly Nb201Space Space = new();

    public static string Write(Func<int, double> report, string? folder = null)
    {
        var sb = new StringBuilder("index,arch,iso_class,signal,cost,c10_test_acc_200ep,c100_test_acc_200ep\n");
        var values = new double[6];
        for (var index = 0; index < 15_625; index++)
        {
            for (int e = 5, rest = index; e >= 0; e--, rest /= 5) values[e] = rest % 5;
            var arch = Space.Create(values).Canonical;
            var noise = (Genotype.StableHash(arch) % 1000) / 1000.0;
            var signal = 50 + 5 * values.Count(v => v == 3) + 2 * values.Count(v => v == 2) + noise;
            var cost = 40 + 0.013 * index + noise; // distinct per cell
            sb.Append(CultureInfo.InvariantCulture, $"{index},{arch},{index},{signal:0.####},{cost:0.####},{report(index):0.####},{report(index) / 2:0.####}\n");
        }
        var path = Path.Combine(folder ?? Path.GetTempPath(), $"synthetic-nb201-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    public static TabularBenchmark Load(Func<int, double> report)
    {
        var path = Write(report);
        try
        {
            return TabularBenchmark.Load(path, new TabularColumns("signal", "cost"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static SearchSpec Spec(string strategy, long seed, int workers, int trials = 1_000_000, double leaseSeconds = 60) => new(
        $"replay-{strategy}", seed,
        new Nb201SpaceSpec("nb201", false),
        new DatasetSpec("nb201", "label", 0),
        new TrainingSpec(12, 256),
        new StrategySpec(strategy, new Dictionary<string, double>()),
        new BudgetSpec(trials, 1_000_000),
        new ExecutionSpec(workers, 1, leaseSeconds, int.MaxValue),
        new ObjectiveSpec("val_accuracy", true),
        new ConstraintSpec(null));

    public static SearchSpecData Data(SearchSpec spec) => new(SearchSpecJson.Serialize(spec), 0, 10);

    public static SearchDefinition Definition(SearchSpec spec) => SearchDefinition.From(spec, new DatasetShape(0, 10));
}

/// <summary>Wraps an evaluator and keeps everything it handed out, so a test can see what the search could have seen.</summary>
public sealed class RecordingEvaluator(ITrialEvaluator inner) : ITrialEvaluator
{
    public List<(TrialRequest Trial, TrialMetrics Metrics)> Handed { get; } = [];

    public async Task<TrialMetrics> EvaluateAsync(TrialRequest trial, TrialContext context, CancellationToken cancellationToken)
    {
        var metrics = await inner.EvaluateAsync(trial, context, cancellationToken);
        lock (Handed) Handed.Add((trial, metrics));
        return metrics;
    }
}

/// <summary>Every trial costs the same number of simulated seconds; the signal comes from the genotype's hash.</summary>
public sealed class ConstantCostEvaluator(double seconds) : ITrialEvaluator
{
    public Task<TrialMetrics> EvaluateAsync(TrialRequest trial, TrialContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new TrialMetrics((trial.Genotype.Hash % 1000) / 1000.0, 0, 1, seconds));
}
