using System.Text.Json.Serialization;
using NasActors.Core.Constraints;

namespace NasActors.Core.Specs;

/// <summary>
/// The <c>constraints:</c> block: limits on the cost of a network. <see cref="MaxParameters"/> is the
/// original <c>max_params</c> shorthand (a hard parameter limit); <see cref="Limits"/> holds the
/// <c>params</c> / <c>flops</c> / <c>latency</c> entries.
/// </summary>
public sealed record ConstraintSpec(long? MaxParameters)
{
    public IReadOnlyList<LimitSpec> Limits { get; init; } = [];

    /// <summary>Every limit, <c>max_params</c> included, as the constraint checker applies them.</summary>
    [JsonIgnore]
    public IReadOnlyList<LimitSpec> AllLimits =>
        MaxParameters is { } max ? [new LimitSpec(CostQuantities.Params, max, Hard: true), .. Limits] : Limits;
}

/// <summary>
/// One limit: <see cref="Quantity"/> (params, flops or latency in ms) must stay at or below
/// <see cref="Max"/>. A hard limit is never proposed past; a soft one lowers the objective by
/// <c>Weight × (value − Max) / Max</c> when exceeded (see <see cref="ConstraintChecker"/>).
/// </summary>
public sealed record LimitSpec(string Quantity, double Max, bool Hard, double Weight = 1.0, LatencySource? Latency = null);

/// <summary>Where latency comes from: a device column of a latency table, joined to arch strings through an arch table.</summary>
public sealed record LatencySource(string Device, string Table, string ArchTable);
