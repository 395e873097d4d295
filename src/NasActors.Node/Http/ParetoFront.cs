using NasActors.Core.Specs;
using NasActors.Core.Strategies.MultiObjective;

namespace NasActors.Node.Http;

/// <summary>
/// The non-dominated completed trials of a multi-objective search, in score space (every objective turned
/// larger-is-better), and the hypervolume of the trials within every soft limit against a reference just beyond
/// their worst score of each objective, with that reference point in the objectives' own units
/// (<see cref="HypervolumeReport.Measure"/>, as `nas status` reports it).
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
        var feasible = scored.Where(p => p.Trial.WithinSoftLimits).Select(p => p.Scores).ToArray();
        var hypervolume = HypervolumeReport.Measure(objectives.Select(o => (o.Metric, o.Maximise)).ToArray(), feasible);
        return new ParetoResult(objectives, front.Select(p => new ParetoPoint(p.Trial.TrialId, p.Trial.ObjectiveValues!)).ToArray(),
            scored.Select(p => new ParetoPoint(p.Trial.TrialId, p.Trial.ObjectiveValues!)).ToArray(), hypervolume?.Value)
        {
            Reference = hypervolume?.Reference
        };
    }
}

/// <summary><see cref="Front"/> and <see cref="All"/> carry raw objective values (as the spec measures them).</summary>
public sealed record ParetoResult(IReadOnlyList<ObjectiveInfo> Objectives, IReadOnlyList<ParetoPoint> Front, IReadOnlyList<ParetoPoint> All, double? Hypervolume)
{
    /// <summary>The reference point of <see cref="Hypervolume"/>; null with it.</summary>
    public IReadOnlyList<ReferenceValue>? Reference { get; init; }
}

public sealed record ParetoPoint(int TrialId, double[] Values);
