using NasActors.Core.Trials;

namespace NasActors.Engine.Searches;

/// <summary>
/// Finds a metric that is not a finite number before a result is applied: a NaN or infinity would poison the
/// best-trial ordering and the strategy, and cannot be written to the journal as JSON.
/// </summary>
public static class MetricChecks
{
    /// <summary>The reason naming the first non-finite metric ("metric val_loss is NaN"), or null when all are finite.</summary>
    public static string? FirstNonFinite(TrialMetrics metrics) =>
        NonFinite("metric val_accuracy", metrics.ValidationAccuracy)
        ?? NonFinite("metric val_loss", metrics.ValidationLoss)
        ?? NonFinite("metric seconds", metrics.Seconds)
        ?? metrics.Extra?.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => NonFinite($"metric {kv.Key}", kv.Value)).FirstOrDefault(r => r is not null);

    public static string? NonFinite(string what, double value) =>
        double.IsFinite(value) ? null : $"{what} is {(double.IsNaN(value) ? "NaN" : value > 0 ? "+Infinity" : "-Infinity")}";
}
