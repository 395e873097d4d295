using System.Collections.Concurrent;
using NasActors.Core.Strategies;
using NasActors.Core.Strategies.OneShot;
using NasActors.Core.Strategies.Supernet;
using NasActors.Core.Tests.Benchmarks;

namespace NasActors.Core.Tests.Strategies.Smoke;

/// <summary>
/// Runs each smoke entry once per fixed seed on the NB201 table and keeps the best-found signals, so the
/// assertions and the report share one set of runs (each entry runs at most once per test process).
/// </summary>
public sealed class Nb201SmokeFixture
{
    public const int Evaluations = 100;
    public static readonly IReadOnlyList<long> Seeds = Enumerable.Range(1, 30).Select(s => (long)s).ToArray();

    /// <summary>
    /// Every registered strategy but SPOS at its spec defaults, except where a note says why not, plus BOHB's
    /// default three-rung schedule as an extra row so the cost of that choice stays visible.
    /// </summary>
    public static IReadOnlyList<SmokeEntry> Entries { get; } =
    [
        // SPOS, DARTS and weight-sharing MANAS propose only what their supernet phases derived, and a table lookup has no supernet to train.
        .. StrategyRegistry.Names.Where(name => name is not (SposSearch.Name or DartsSearch.Name or ManasSupernetSearch.Name)).Select(name => name switch
        {
            // Speed only: 200 scored cells per proposal and a retrain every 20 results keep 30 seeds within seconds.
            "predictor" => SmokeEntry.With(name, "pool_size 200, retrain_every 20 (for speed)", ("pool_size", 200), ("retrain_every", 20)),
            // The table has one fidelity (12 epochs), so lower rungs only re-evaluate cells at full cost:
            // one rung leaves BOHB its model (TPE plus a random third), which is what this smoke is about.
            "bohb" => SmokeEntry.With(name, "min_epochs 12 (one rung)", ("min_epochs", SmokeRun.TableEpochs)),
            // No objectives in the context: NSGA-II's own default pair, whose first is the signal.
            "nsga2" => SmokeEntry.Defaults(name) with { Note = "defaults (val_accuracy up, params down)" },
            _ => SmokeEntry.Defaults(name)
        }),
        SmokeEntry.With("bohb", "defaults: rungs 1/4/12 epochs", ("min_epochs", 1)) with { Label = "bohb-rungs" }
    ];

    private readonly ConcurrentDictionary<string, Lazy<double[]>> _bests = new();

    public Nb201SearchSignal Signal { get; } = new(new Nb201Fixture().Accuracy);

    public static SmokeEntry Entry(string label) => Entries.Single(e => e.Label == label);

    /// <summary>Best-found signal after <see cref="Evaluations"/> evaluations, one per seed.</summary>
    public IReadOnlyList<double> BestFound(string label) =>
        _bests.GetOrAdd(label, l => new Lazy<double[]>(() => Run(Entry(l)))).Value;

    public double Median(string label) => SmokeRun.Median(BestFound(label));

    private double[] Run(SmokeEntry entry) =>
        Seeds.Select(seed => SmokeRun.BestFound(StrategyRegistry.Create(entry.Spec, SmokeRun.Context(seed)), Signal, Evaluations)).ToArray();
}
