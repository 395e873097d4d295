using NasActors.Core.Benchmarks;
using NasActors.Core.Specs;
using NasActors.Core.Spaces;
using NasActors.Engine.Searches;
using NasActors.Engine.Simulation;

namespace NasActors.Cli.Bench;

/// <param name="Runs">runs per strategy; run r uses seed <see cref="Seed"/> + r for every strategy</param>
/// <param name="BudgetSeconds">simulated seconds per run</param>
/// <param name="Workers">simulated trainers per run</param>
public sealed record MultiFidelityBenchOptions(
    IReadOnlyList<BenchStrategy> Strategies, int Runs, double BudgetSeconds, int Workers, long Seed = 0, int InFlight = 64);

/// <summary>One run: its anytime incumbent as (simulated time, true quality of the incumbent) and the final one.</summary>
public sealed record MultiFidelityRun(string Strategy, int Run, long Seed, string Incumbent, double Quality, int Evaluations,
    double EpochsTrained, IReadOnlyList<(double At, double Quality)> Anytime);

/// <summary>
/// Multi-fidelity strategies on a <see cref="LearningCurveTable"/> the way their papers measure them:
/// the real coordinator replays each search on simulated time (<see cref="ReplaySimulator"/>) with
/// <see cref="MultiFidelityBenchOptions.Workers"/> trainers, every epoch of the table is a fidelity, a seed is
/// drawn per query (noisy signal), and a promotion pays only its extra epochs. The incumbent at any time is
/// the best signal among the results at the highest fidelity reached so far (the full training once any
/// run finished it); its quality is the mean over the table's seeds of its final-epoch validation accuracy,
/// which the search never sees.
/// </summary>
public sealed class MultiFidelityBench(LearningCurveTable table, SearchDefinition template, int gridPoints, MultiFidelityBenchOptions options)
{
    private const int UnboundedTrials = 1_000_000;

    /// <summary>The quality the report shows: mean over seeds of the last epoch's validation accuracy.</summary>
    public static double Quality(LearningCurveTable table, string arch) =>
        table.Curves(arch).Average(c => c.ValidationAccuracy[table.Epochs - 1]);

    public static double Optimum(LearningCurveTable table) => table.Architectures.Max(a => Quality(table, a));

    public async Task<IReadOnlyList<MultiFidelityRun>> RunAsync(Action<string, int>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var simulator = new ReplaySimulator(options.InFlight);
        var settings = new ReplaySettings(options.Workers, options.BudgetSeconds, 0, options.Seed);
        var tasks = new List<Task<MultiFidelityRun>>();
        foreach (var strategy in options.Strategies)
        {
            var evaluator = new LearningCurveEvaluator(table, template.Space, gridPoints);
            var done = 0;
            for (var run = 0; run < options.Runs; run++)
            {
                var seed = options.Seed + run;
                var spec = template.Spec with
                {
                    Name = $"{template.Spec.Name}-{strategy.Name}",
                    Seed = seed,
                    Strategy = new StrategySpec(strategy.Name, strategy.Parameters),
                    Budget = new BudgetSpec(UnboundedTrials, UnboundedTrials),
                    Execution = template.Spec.Execution with { Trainers = options.Workers }
                };
                var definition = template with { Spec = spec };
                var data = new SearchSpecData(SearchSpecJson.Serialize(spec), template.Shape.Features, template.Shape.Classes);
                var id = new SearchId($"mf-{Sanitise(strategy.Label)}-{run}");
                var r = run;
                tasks.Add(simulator.RunAsync(id, data, definition, evaluator, settings, cancellationToken).ContinueWith(t =>
                {
                    progress?.Invoke(strategy.Label, Interlocked.Increment(ref done));
                    return Summarise(strategy.Label, r, seed, t.Result, evaluator);
                }, cancellationToken, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));
            }
        }
        return await Task.WhenAll(tasks);
    }

    private MultiFidelityRun Summarise(string strategy, int run, long seed, ReplayResult result, LearningCurveEvaluator evaluator)
    {
        var anytime = new List<(double, double)>();
        var topEpochs = 0.0;
        var bestSignal = double.NegativeInfinity;
        string? incumbent = null;
        double epochsTrained = 0;
        foreach (var trial in result.Trials)
        {
            var epochs = trial.Metrics!.Get(LearningCurveEvaluator.EpochsMetric);
            epochsTrained += epochs - (trial.Metrics.Extra!.TryGetValue(LearningCurveEvaluator.ContinuedFromMetric, out var from) ? from : 0);
            if (epochs > topEpochs) (topEpochs, bestSignal) = (epochs, double.NegativeInfinity);
            if (epochs < topEpochs || trial.Signal <= bestSignal) continue;
            bestSignal = trial.Signal;
            var key = evaluator.TableKey(trial.Architecture);
            if (key == incumbent) continue;
            incumbent = key;
            anytime.Add((trial.CompletedAt, Quality(table, key)));
        }
        if (incumbent is null)
            throw new InvalidOperationException($"{result.SearchId}: no trial completed within the budget ({result.Message})");
        return new MultiFidelityRun(strategy, run, seed, incumbent, Quality(table, incumbent), result.Evaluations, epochsTrained, anytime);
    }

    private static string Sanitise(string label) => new(label.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
}
