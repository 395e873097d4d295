using NasActors.Core.Strategies.MultiObjective;

namespace NasActors.Node.Http;

/// <summary>
/// The non-dominated completed trials of a multi-objective search, in score space (every objective turned
/// larger-is-better), and their hypervolume against a reference just beyond the worst score of each objective.
/// </summary>
public static class ParetoFront
{
    public static ParetoResult Of(SearchView view)
    {
        var objectives = view.Objectives;
        var scored = view.Trials
            .Where(t => t.State == "completed" && t.ObjectiveValues is { } v && v.All(double.IsFinite))
            .Select(t => (Trial: t, Scores: (IReadOnlyList<double>)t.ObjectiveValues!.Select((v, j) => objectives[j].Maximise ? v : -v).ToArray()))
            .ToArray();
        var front = scored.Where(a => !scored.Any(b => ParetoRanking.Dominates(b.Scores, a.Scores)))
            .OrderBy(p => p.Trial.TrialId).ToArray();
        double? hypervolume = objectives.Count is 2 or 3 && scored.Length > 0
            ? Hypervolume.Of(front.Select(p => p.Scores).ToArray(), Hypervolume.DefaultReference(scored.Select(p => p.Scores).ToArray()))
            : null;
        return new ParetoResult(objectives, front.Select(p => new ParetoPoint(p.Trial.TrialId, p.Trial.ObjectiveValues!)).ToArray(),
            scored.Select(p => new ParetoPoint(p.Trial.TrialId, p.Trial.ObjectiveValues!)).ToArray(), hypervolume);
    }
}

/// <summary><see cref="Front"/> and <see cref="All"/> carry raw objective values (as the spec measures them).</summary>
public sealed record ParetoResult(IReadOnlyList<ObjectiveInfo> Objectives, IReadOnlyList<ParetoPoint> Front, IReadOnlyList<ParetoPoint> All, double? Hypervolume);

public sealed record ParetoPoint(int TrialId, double[] Values);
