using NasActors.Core.Strategies;
using NasActors.Core.Strategies.MultiFidelity;
using NasActors.Core.Trials;

namespace NasActors.Cli.Bench;

/// <summary>
/// A tabular benchmark records one training length. A strategy whose schedule asks for others
/// (successive halving's rungs) would only collect failed trials: refuse it before any run starts.
/// </summary>
public static class BenchFidelity
{
    /// <summary>Strategies that are a fidelity schedule and nothing else: with one rung they are not themselves.</summary>
    private static readonly HashSet<string> ScheduleOnly = ["asha", "hyperband"];

    public static void RefuseUnrunnable(IEnumerable<BenchStrategy> strategies, int tableEpochs)
    {
        var refused = strategies.Select(s => Why(s, tableEpochs) is { } why ? $"{s.Label} ({why})" : null).OfType<string>().ToArray();
        if (refused.Length > 0)
            throw new UsageException($"the table records only {tableEpochs}-epoch training, so these strategies cannot run on it: {string.Join("; ", refused)}");
    }

    /// <summary>Why the strategy cannot run on a table of one fidelity, or null when it can.</summary>
    public static string? Why(BenchStrategy strategy, int tableEpochs)
    {
        if (ScheduleOnly.Contains(strategy.Name)) return "its successive-halving rungs need several training lengths";
        if (!StrategyRegistry.TryGet(strategy.Name, out var registration) || registration.Parameters.All(p => p.Name != "min_epochs")) return null;
        double Value(string name) => strategy.Parameters.TryGetValue(name, out var v) ? v : registration.Parameters.Single(p => p.Name == name).Default;
        var ladder = new FidelityLadder(new MultiFidelityOptions((int)Value("min_epochs"), (int)Value("max_epochs"), (int)Value("eta")), new Fidelity(tableEpochs));
        return ladder.Epochs.Any(e => e != tableEpochs)
            ? $"its rungs train {string.Join("/", ladder.Epochs)} epochs; set min_epochs={tableEpochs}:max_epochs={tableEpochs}"
            : null;
    }
}
