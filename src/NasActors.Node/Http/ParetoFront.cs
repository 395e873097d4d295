using NasActors.Core.Strategies.MultiObjective;

namespace NasActors.Node.Http;

/// <summary>
/// The non-dominated completed trials of a multi-objective search, in score space (every objective turned
/// larger-is-better), and their hypervolume against a reference just beyond the worst score of each objective.
/// </summary>
public static class ParetoFront
{
    /// <summary>Share of an objective's range by which the reference lies beyond its worst score.</summary>
    private const double ReferenceMargin = 0.1;

    public static ParetoResult Of(SearchView view)
    {
        var objectives = view.Objectives;
        var scored = view.Trials
            .Where(t => t.State == "completed" && t.ObjectiveValues is { } v && v.All(double.IsFinite))
            .Select(t => (Trial: t, Scores: (IReadOnlyList<double>)t.ObjectiveValues!.Select((v, j) => objectives[j].Maximise ? v : -v).ToArray()))
            .ToArray();
        var front = scored.Where(a => !scored.Any(b => ParetoRanking.Dominates(b.Scores, a.Scores)))
            .OrderBy(p => p.Trial.TrialId).ToArray();
        double? hypervolume = objectives.Count == 2 && scored.Length > 0
            ? Area2D(front.Select(p => p.Scores).ToArray(), Reference(scored.Select(p => p.Scores).ToArray()))
            : null;
        return new ParetoResult(objectives, front.Select(p => new ParetoPoint(p.Trial.TrialId, p.Trial.ObjectiveValues!)).ToArray(),
            scored.Select(p => new ParetoPoint(p.Trial.TrialId, p.Trial.ObjectiveValues!)).ToArray(), hypervolume);
    }

    // TODO(merge): h4-quality adds Core/Strategies/MultiObjective/Hypervolume (exact for 2 and 3 objectives) with the
    // same reference rule; once it is on main, call Hypervolume.Of(front, Hypervolume.DefaultReference(all)) instead.
    private static double[] Reference(IReadOnlyList<IReadOnlyList<double>> points) =>
        Enumerable.Range(0, points[0].Count).Select(j =>
        {
            var worst = points.Min(p => p[j]);
            var span = points.Max(p => p[j]) - worst;
            return worst - (span > 0 ? ReferenceMargin * span : 1);
        }).ToArray();

    /// <summary>The area two-objective points dominate above the reference: a sweep in descending first score.</summary>
    private static double Area2D(IReadOnlyList<IReadOnlyList<double>> front, double[] reference)
    {
        var area = 0.0;
        var ceiling = reference[1];
        foreach (var p in front.OrderByDescending(p => p[0]).ThenByDescending(p => p[1]))
        {
            if (p[1] <= ceiling) continue;
            area += (p[0] - reference[0]) * (p[1] - ceiling);
            ceiling = p[1];
        }
        return area;
    }
}

/// <summary><see cref="Front"/> and <see cref="All"/> carry raw objective values (as the spec measures them).</summary>
public sealed record ParetoResult(IReadOnlyList<ObjectiveInfo> Objectives, IReadOnlyList<ParetoPoint> Front, IReadOnlyList<ParetoPoint> All, double? Hypervolume);

public sealed record ParetoPoint(int TrialId, double[] Values);
