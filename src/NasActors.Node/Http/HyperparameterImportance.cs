namespace NasActors.Node.Http;

/// <summary>
/// How much of the objective's variance each decision explains on its own, over the completed trials: the
/// first-order (main-effect) terms of a functional ANOVA, taken from the observed trials instead of a fitted
/// surrogate. Per decision, the trials are grouped by its value; the variance of the group means (weighted by
/// group size) over the total variance is its share, in [0, 1]. Interactions are not attributed, so the shares
/// need not sum to 1. Too few trials (under 3) or no variance: every share is 0.
/// </summary>
public static class HyperparameterImportance
{
    public static IReadOnlyList<DecisionImportance> Of(SearchView view)
    {
        var done = view.Trials.Where(t => t.State == "completed" && t.Objective is { } o && double.IsFinite(o) && t.Decisions.Count == view.Decisions.Count)
            .ToArray();
        var mean = done.Length > 0 ? done.Average(t => t.Objective!.Value) : 0;
        var total = done.Sum(t => Math.Pow(t.Objective!.Value - mean, 2));
        return view.Decisions.Select((d, i) =>
        {
            var groups = done.GroupBy(t => t.Decisions[i].Label).ToArray();
            var explained = groups.Sum(g => g.Count() * Math.Pow(g.Average(t => t.Objective!.Value) - mean, 2));
            var share = done.Length >= 3 && total > 1e-12 ? Math.Clamp(explained / total, 0, 1) : 0;
            return new DecisionImportance(d.Name, share, groups.Length);
        }).OrderByDescending(d => d.Importance).ThenBy(d => d.Decision, StringComparer.Ordinal).ToArray();
    }
}

/// <summary>A decision's share of the objective's variance and how many of its values the trials tried.</summary>
public sealed record DecisionImportance(string Decision, double Importance, int ValuesSeen);
