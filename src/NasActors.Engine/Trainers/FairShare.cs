using NasActors.Engine.Searches;

namespace NasActors.Engine.Trainers;

/// <summary>
/// Which running search a cluster trainer asks next: the one it has served least relative to its priority
/// (trials taken ÷ <c>execution.priority</c>; ties by search id, so every trainer decides the same way), skipping
/// searches that just said they had no work. Each trainer keeps its own tally; over many trainers the cluster's
/// shares follow the priorities. Searches the index no longer lists are forgotten.
/// </summary>
public sealed class FairShare
{
    private readonly Dictionary<SearchId, long> _served = new();
    private readonly Dictionary<SearchId, int> _priority = new();
    private readonly Dictionary<SearchId, long> _dryUntil = new();
    private readonly HashSet<SearchId> _over = [];
    private IReadOnlyList<SearchId> _active = [];

    /// <summary>The searches the index lists as running now.</summary>
    public void Update(IReadOnlyList<SearchId> active)
    {
        _active = active;
        foreach (var gone in _served.Keys.Except(active).ToArray()) _served.Remove(gone);
        _over.IntersectWith(active);
    }

    /// <summary>A search's weight, learned from its spec on the first trial taken from it (default 1).</summary>
    public void Weigh(SearchId search, int priority) => _priority[search] = Math.Max(1, priority);

    public void Served(SearchId search) => _served[search] = _served.GetValueOrDefault(search) + 1;

    /// <summary>The search had no trial to give: ask the others first until <paramref name="untilMs"/>.</summary>
    public void Dry(SearchId search, long untilMs) => _dryUntil[search] = untilMs;

    /// <summary>The search answered that it is over (the index may still list it for a moment).</summary>
    public void Over(SearchId search) => _over.Add(search);

    /// <summary>The search to ask at <paramref name="nowMs"/>; null when none runs or all just had no work.</summary>
    public SearchId? Next(long nowMs) =>
        _active
            .Where(s => !_over.Contains(s) && _dryUntil.GetValueOrDefault(s) <= nowMs)
            .OrderBy(s => (double)_served.GetValueOrDefault(s) / _priority.GetValueOrDefault(s, 1))
            .ThenBy(s => s.Value, StringComparer.Ordinal)
            .FirstOrDefault();
}
