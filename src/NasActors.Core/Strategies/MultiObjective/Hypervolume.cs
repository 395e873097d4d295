namespace NasActors.Core.Strategies.MultiObjective;

/// <summary>
/// The hypervolume indicator (Zitzler &amp; Thiele 1998) of score vectors where larger is better: the volume of the
/// region that the points dominate and that dominates the reference point. Exact for two objectives (a sweep
/// over the points sorted by the first) and three (slices between consecutive third-objective values, each a
/// two-objective area). Points that do not beat the reference in every objective add nothing, and dominated
/// points add nothing, so any set can be passed, not only a front.
/// </summary>
public static class Hypervolume
{
    /// <summary>Share of an objective's range by which <see cref="DefaultReference"/> lies beyond the worst value.</summary>
    public const double ReferenceMargin = 0.1;

    public static double Of(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<double> reference)
    {
        var inside = points.Where(p => p.Count == reference.Count && p.Select((v, j) => v > reference[j]).All(b => b)).ToList();
        return reference.Count switch
        {
            2 => Area(inside.Select(p => (p[0], p[1])), reference[0], reference[1]),
            3 => Volume(inside, reference),
            _ => throw new NotSupportedException($"exact hypervolume is implemented for 2 and 3 objectives, not {reference.Count}")
        };
    }

    /// <summary>
    /// A reference point for points of one search: per objective, the worst value moved a further
    /// <see cref="ReferenceMargin"/> of the objective's range outwards (1 when the range is empty), so the extremes of
    /// the front still count. Hypervolumes of different searches compare only under one fixed reference point.
    /// </summary>
    public static double[] DefaultReference(IReadOnlyList<IReadOnlyList<double>> points)
    {
        if (points.Count == 0) throw new ArgumentException("a reference point needs at least one point", nameof(points));
        return Enumerable.Range(0, points[0].Count).Select(j =>
        {
            var worst = points.Min(p => p[j]);
            var span = points.Max(p => p[j]) - worst;
            return worst - (span > 0 ? ReferenceMargin * span : 1);
        }).ToArray();
    }

    private static double Area(IEnumerable<(double X, double Y)> points, double referenceX, double referenceY)
    {
        var area = 0.0;
        var top = referenceY;
        foreach (var (x, y) in points.OrderByDescending(p => p.X).ThenByDescending(p => p.Y))
        {
            if (y <= top) continue;
            area += (x - referenceX) * (y - top);
            top = y;
        }
        return area;
    }

    private static double Volume(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<double> reference)
    {
        var levels = points.Select(p => p[2]).Distinct().OrderDescending().ToArray();
        var volume = 0.0;
        for (var i = 0; i < levels.Length; i++)
        {
            var below = i + 1 < levels.Length ? levels[i + 1] : reference[2];
            var slice = Area(points.Where(p => p[2] >= levels[i]).Select(p => (p[0], p[1])), reference[0], reference[1]);
            volume += slice * (levels[i] - below);
        }
        return volume;
    }
}
