using System.Diagnostics;
using NasActors.Core.Benchmarks;
using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Engine.Simulation;

namespace NasActors.Cli.Bench;

/// <param name="Runs">runs per strategy; run r uses seed <see cref="Seed"/> + r for every strategy</param>
/// <param name="BudgetSeconds">simulated seconds per run (null: trial budget only)</param>
/// <param name="BudgetTrials">trials per run (null: unbounded, the seconds decide)</param>
/// <param name="LeaseSeconds">simulated lease length; trainers heartbeat every third of it</param>
public sealed record BenchOptions(
    IReadOnlyList<BenchStrategy> Strategies,
    int Runs = 500,
    double? BudgetSeconds = 12_000,
    int? BudgetTrials = null,
    int Workers = 1,
    double KillRate = 0,
    long Seed = 0,
    double LeaseSeconds = 300,
    int InFlight = 64);

/// <summary>One finished run: the architecture with the best signal found within the budget, and its report values.</summary>
public sealed record BenchRun(
    string Strategy, int Run, long Seed, int Index, string Architecture, double Signal, int Evaluations,
    double SimulatedSeconds, int Deaths, int ReissuedLeases, double[] Report, IReadOnlyList<(double At, double[] Report)> Anytime);

/// <summary>
/// The NAS-Bench-201 protocol on the real engine: for each strategy and run, a search spec with that
/// strategy and seed is replayed by <see cref="ReplaySimulator"/> (real coordinator, simulated trainers,
/// virtual clock), evaluating against the table through <see cref="TabularEvaluator"/>, which passes on
/// the signal and the cost only. Report columns are looked up here, afterwards, for what each run chose.
/// </summary>
public sealed class Nb201Bench(TabularBenchmark table, BenchOptions options)
{
    /// <summary>The table's signal is in percent; the engine's accuracies are fractions.</summary>
    public const double SignalScale = 0.01;
    /// <summary>The one training length the table records: every trial must ask for exactly this.</summary>
    public const int TableEpochs = 12;
    private const int UnboundedTrials = 1_000_000;

    public static SearchSpec Spec(BenchStrategy strategy, long seed, BenchOptions options) => new(
        $"nb201-{strategy.Name}", seed,
        new Nb201SpaceSpec("nb201", strategy.MergeIsomorphic),
        new DatasetSpec("nb201", "label", 0),
        new TrainingSpec(TableEpochs, 256),
        new StrategySpec(strategy.Name, strategy.Parameters),
        new BudgetSpec(options.BudgetTrials ?? UnboundedTrials, UnboundedTrials),
        new ExecutionSpec(options.Workers, 1, options.LeaseSeconds, int.MaxValue),
        new ObjectiveSpec("val_accuracy", true),
        new ConstraintSpec(null));

    public async Task<IReadOnlyList<BenchRun>> RunAsync(Action<string, int>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var simulator = new ReplaySimulator(options.InFlight);
        var settings = new ReplaySettings(options.Workers, options.BudgetSeconds, options.KillRate, options.Seed);
        var tasks = new List<Task<BenchRun>>();
        foreach (var strategy in options.Strategies)
        {
            // One definition (space, parsed spec) per strategy; only the seed differs between runs.
            var template = SearchDefinition.From(Spec(strategy, options.Seed, options), new DatasetShape(0, 10));
            var evaluator = new TabularEvaluator(table, template.Space, TableEpochs, SignalScale);
            var done = 0;
            for (var run = 0; run < options.Runs; run++)
            {
                var seed = options.Seed + run;
                var spec = Spec(strategy, seed, options);
                var definition = template with { Spec = spec };
                var data = new SearchSpecData(SearchSpecJson.Serialize(spec), 0, 10);
                var id = new SearchId($"{spec.Name}-{Sanitise(strategy.Label)}-{run}");
                var r = run;
                tasks.Add(simulator.RunAsync(id, data, definition, evaluator, settings, cancellationToken).ContinueWith(t =>
                {
                    progress?.Invoke(strategy.Label, Interlocked.Increment(ref done));
                    return Summarise(strategy.Label, r, seed, t.Result);
                }, cancellationToken, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));
            }
        }
        return await Task.WhenAll(tasks);
    }

    private BenchRun Summarise(string strategy, int run, long seed, ReplayResult result)
    {
        if (result.Best is not { } best)
            throw new InvalidOperationException($"{result.SearchId}: no trial completed within the budget ({result.Message})");
        // Best-so-far by signal, as the search knew it; the report values only enter here.
        var anytime = new List<(double, double[])>();
        var bestSignal = double.NegativeInfinity;
        foreach (var trial in result.Trials)
        {
            if (trial.Signal <= bestSignal) continue;
            bestSignal = trial.Signal;
            anytime.Add((trial.CompletedAt, table.ReportOf(trial.Architecture)));
        }
        return new BenchRun(strategy, run, seed, table.IndexOf(best.Architecture), best.Architecture, best.Signal / SignalScale,
            result.Evaluations, result.SimulatedSeconds, result.Deaths, result.ReissuedLeases, table.ReportOf(best.Architecture), anytime);
    }

    private static string Sanitise(string label) => new(label.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
}
