namespace NasActors.Core.Trials;

/// <summary>What an evaluator measured for one trial.</summary>
public sealed record TrialMetrics(
    double ValidationAccuracy,
    double ValidationLoss,
    long Parameters,
    double Seconds,
    IReadOnlyDictionary<string, double>? Extra = null)
{
    /// <summary>Looks up a metric by its spec name (objectives name metrics this way).</summary>
    public double Get(string name) => name switch
    {
        "val_accuracy" => ValidationAccuracy,
        "val_loss" => ValidationLoss,
        "params" => Parameters,
        "seconds" => Seconds,
        _ when Extra is not null && Extra.TryGetValue(name, out var v) => v,
        _ => throw new KeyNotFoundException($"metric '{name}' was not measured")
    };
}
