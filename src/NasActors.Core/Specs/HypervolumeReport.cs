using System.Globalization;
using NasActors.Core.Strategies.MultiObjective;

namespace NasActors.Core.Specs;

/// <summary>
/// A search's hypervolume with the reference point it was measured against. Hypervolumes compare only under one
/// reference point, so the point is always reported with the value. The value is measured in score space (every
/// objective turned to larger-is-better); the point is given in each objective's own units and direction, as the
/// spec measures the objective (a minimised objective's reference lies above its worst value).
/// </summary>
public sealed record HypervolumeReport(double Value, IReadOnlyList<ReferenceValue> Reference)
{
    /// <summary>
    /// The hypervolume of <paramref name="scores"/> (points in score space, one coordinate per objective, each larger-is-better)
    /// against <see cref="Strategies.MultiObjective.Hypervolume.DefaultReference"/>, just beyond their worst score of each
    /// objective; null unless there are two or three objectives (no exact method is implemented beyond) and a point.
    /// The one place both `nas status` and the dashboard's Pareto view measure it, so they agree.
    /// </summary>
    public static HypervolumeReport? Measure(IReadOnlyList<(string Metric, bool Maximise)> objectives, IReadOnlyList<IReadOnlyList<double>> scores)
    {
        if (objectives.Count is < 2 or > 3 || scores.Count == 0) return null;
        var reference = Hypervolume.DefaultReference(scores);
        // A score negates a minimised objective: negating again gives the point in the objective's own units.
        return new HypervolumeReport(Hypervolume.Of(scores, reference),
            objectives.Select((o, j) => new ReferenceValue(o.Metric, o.Maximise, o.Maximise ? reference[j] : -reference[j])).ToArray());
    }

    /// <summary>One line for people: "1234.57 (reference point: val_accuracy 0.52 max, params 12000 min)".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Value:G6} (reference point: {string.Join(", ", Reference.Select(r => $"{r.Metric} {r.Value:G6} {(r.Maximise ? "max" : "min")}"))})");
}

/// <summary>One objective's coordinate of a hypervolume's reference point, in the objective's own units.</summary>
public sealed record ReferenceValue(string Metric, bool Maximise, double Value);
