using System.Globalization;

namespace NasActors.Training.Trials;

/// <summary>
/// A trial diverged: a loss or accuracy became NaN or infinite. It is the trial's own failure (its
/// architecture or learning rate), reported as a failed trial; nothing non-finite is ever returned
/// as a metric, since objectives, strategies and the journal's JSON cannot order or store it.
/// </summary>
public sealed class NonFiniteMetricException(string message) : Exception(message)
{
    /// <summary>Throws "validation loss is NaN at epoch 3" (or without the epoch when null) unless <paramref name="value"/> is finite.</summary>
    public static void ThrowIfNotFinite(string metric, double value, int? epoch = null)
    {
        if (double.IsFinite(value)) return;
        var shown = double.IsNaN(value) ? "NaN" : value > 0 ? "+inf" : "-inf";
        throw new NonFiniteMetricException(epoch is { } e
            ? $"{metric} is {shown} at epoch {e.ToString(CultureInfo.InvariantCulture)}"
            : $"{metric} is {shown}");
    }
}
