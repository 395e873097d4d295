using NasActors.Core.Spaces;

namespace NasActors.Core.Strategies.OneShot;

/// <summary>
/// Discrete cells from DARTS' architecture weights: per edge the op of largest softmax(α) — 'none'
/// included, since NAS-Bench-201 cells may use it (the DARTS paper drops 'zero' because its cells keep two
/// inputs per node; this space has no such rule). Further cells for a larger retraining budget change one
/// edge to its second-best op, the edges whose runner-up is closest to the winner first.
/// </summary>
public static class DartsDerivation
{
    /// <param name="probabilities">softmax(α): one row per decision, one column per option</param>
    public static IReadOnlyList<Genotype> Rank(SearchSpace space, IReadOnlyList<IReadOnlyList<double>> probabilities, int count)
    {
        if (probabilities.Count != space.Decisions.Count)
            throw new ArgumentException($"α has {probabilities.Count} rows; the space has {space.Decisions.Count} decisions", nameof(probabilities));
        var order = probabilities.Select(row => Enumerable.Range(0, row.Count).OrderByDescending(k => row[k]).ThenBy(k => k).ToArray()).ToArray();
        var best = order.Select(o => (double)o[0]).ToArray();
        var cells = new List<Genotype> { space.FromValues(best) };
        var runnersUp = Enumerable.Range(0, order.Length)
            .Where(e => order[e].Length > 1)
            .OrderBy(e => probabilities[e][order[e][0]] - probabilities[e][order[e][1]]).ThenBy(e => e);
        foreach (var e in runnersUp)
        {
            if (cells.Count >= count) break;
            var values = (double[])best.Clone();
            values[e] = order[e][1];
            cells.Add(space.FromValues(values));
        }
        return cells.Take(Math.Max(1, count)).ToArray();
    }
}
