using System.Globalization;

namespace NasActors.Core.Specs;

/// <summary>
/// A search's hypervolume with the reference point it was measured against. Hypervolumes compare only under one
/// reference point, so the point is always reported with the value. The value is measured in score space (every
/// objective turned to larger-is-better); the point is given in each objective's own units and direction, as the
/// spec measures the objective (a minimised objective's reference lies above its worst value).
/// </summary>
public sealed record HypervolumeReport(double Value, IReadOnlyList<ReferenceValue> Reference)
{
    /// <summary>One line for people: "1234.57 (reference point: val_accuracy 0.52 max, params 12000 min)".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Value:G6} (reference point: {string.Join(", ", Reference.Select(r => $"{r.Metric} {r.Value:G6} {(r.Maximise ? "max" : "min")}"))})");
}

/// <summary>One objective's coordinate of a hypervolume's reference point, in the objective's own units.</summary>
public sealed record ReferenceValue(string Metric, bool Maximise, double Value);
