using System.Diagnostics.Metrics;

namespace NasActors.Engine;

/// <summary>
/// The engine's own measurements, on the BCL's <see cref="Meter"/> API so the engine depends on no metrics library:
/// the node exports them (prometheus-net's meter adapter, <c>/metrics</c>); nothing listens in a plain <c>nas run</c>.
/// </summary>
public static class EngineMetrics
{
    public const string MeterName = "NasActors.Engine";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Seconds from a search coordinator's batch write until the journal confirmed it; scraped as <c>nasactors_engine_journal_write_seconds</c>.</summary>
    public static readonly Histogram<double> JournalWriteSeconds =
        Meter.CreateHistogram<double>("journal_write_seconds", unit: null, description: "Search journal batch writes, from persist to confirmation.");
}
