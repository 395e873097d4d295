namespace NasActors.Core.Strategies.MultiObjective;

/// <summary>
/// NSGA-II's orderings (Deb et al. 2002) on score vectors where larger is better in every objective:
/// fast non-dominated sorting into fronts and the crowding distance within a front. With violations
/// (a point's total constraint violation, 0 when it satisfies every constraint) the sorting uses Deb's
/// constraint-domination: a feasible point beats an infeasible one, of two infeasible points the smaller
/// violation wins, and two feasible points compare by Pareto dominance.
/// </summary>
public static class ParetoRanking
{
    /// <summary>a is at least as good as b everywhere and strictly better somewhere.</summary>
    public static bool Dominates(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var better = false;
        for (var m = 0; m < a.Count; m++)
        {
            if (a[m] < b[m]) return false;
            if (a[m] > b[m]) better = true;
        }
        return better;
    }

    /// <summary>Deb's constraint-domination (violation 0: feasible).</summary>
    public static bool ConstrainedDominates(IReadOnlyList<double> a, double violationA, IReadOnlyList<double> b, double violationB) =>
        violationA <= 0 && violationB <= 0 ? Dominates(a, b)
        : violationA <= 0 || violationA < violationB;

    /// <summary>Front index of every point: 0 for the non-dominated, 1 for those dominated only by front 0, ...</summary>
    public static int[] Fronts(IReadOnlyList<IReadOnlyList<double>> points) => Fronts(points, null);

    /// <summary>Fronts under constraint-domination; <paramref name="violations"/> null means all feasible.</summary>
    public static int[] Fronts(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<double>? violations)
    {
        var n = points.Count;
        var dominatedBy = new int[n];
        var dominates = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++)
            if (i != j && (violations is null ? Dominates(points[i], points[j]) : ConstrainedDominates(points[i], violations[i], points[j], violations[j])))
            {
                dominates[i].Add(j);
                dominatedBy[j]++;
            }
        var rank = new int[n];
        var current = Enumerable.Range(0, n).Where(i => dominatedBy[i] == 0).ToList();
        for (var front = 0; current.Count > 0; front++)
        {
            var next = new List<int>();
            foreach (var i in current)
            {
                rank[i] = front;
                foreach (var j in dominates[i])
                    if (--dominatedBy[j] == 0) next.Add(j);
            }
            current = next;
        }
        return rank;
    }

    /// <summary>
    /// Crowding distance of each point among the points of its own front: the sum over objectives of the
    /// normalised gap between its neighbours; a front's extremes get infinity so they are always kept.
    /// </summary>
    public static double[] Crowding(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<int> fronts)
    {
        var distance = new double[points.Count];
        foreach (var front in Enumerable.Range(0, points.Count).GroupBy(i => fronts[i]))
        {
            var members = front.ToArray();
            for (var m = 0; m < points[members[0]].Count; m++)
            {
                var sorted = members.OrderBy(i => points[i][m]).ToArray();
                var span = points[sorted[^1]][m] - points[sorted[0]][m];
                distance[sorted[0]] = distance[sorted[^1]] = double.PositiveInfinity;
                if (span <= 0) continue;
                for (var k = 1; k < sorted.Length - 1; k++)
                    distance[sorted[k]] += (points[sorted[k + 1]][m] - points[sorted[k - 1]][m]) / span;
            }
        }
        return distance;
    }
}
