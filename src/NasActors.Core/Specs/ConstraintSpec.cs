namespace NasActors.Core.Specs;

/// <summary>The <c>constraints:</c> block: limits on the cost of a network.</summary>
public sealed record ConstraintSpec(IReadOnlyList<LimitSpec> Limits)
{
    /// <summary>The hard parameter limit, if any (the original <c>max_params</c> key).</summary>
    public long? MaxParameters => Limits.FirstOrDefault(l => l.Quantity == Constraints.CostQuantities.Params && l.Hard) is { } l ? (long)l.Max : null;
}

/// <summary>
/// One limit: <see cref="Quantity"/> (params, flops or latency in ms) must stay at or below
/// <see cref="Max"/>. A hard limit is never proposed past; a soft one lowers the objective by
/// <c>Weight × (value − Max) / Max</c> when exceeded (see <see cref="Constraints.ConstraintChecker"/>).
/// </summary>
public sealed record LimitSpec(string Quantity, double Max, bool Hard, double Weight = 1.0, LatencySource? Latency = null);

/// <summary>Where latency comes from: a device column of a latency table, joined to arch strings through an arch table.</summary>
public sealed record LatencySource(string Device, string Table, string ArchTable);
