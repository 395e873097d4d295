namespace NasActors.Node.Http;

/// <summary>
/// A page of a search's trials: filtered by state (comma-separated: completed, failed, quarantined, queued, awaiting,
/// leased), sorted by a column (trial, objective, val_accuracy, params, seconds, completed_at; descending with
/// <c>desc=true</c>), then cut to <c>page</c> (1-based) of <c>size</c> rows.
/// </summary>
public sealed record TrialQuery(string? State, string? Sort, bool Desc, int Page, int Size)
{
    public const int MaxSize = 1000;

    public static readonly IReadOnlyList<string> SortKeys = ["trial", "objective", "val_accuracy", "params", "seconds", "completed_at"];

    /// <summary>The trials it selects, or the one line that says which argument is wrong.</summary>
    public (TrialPage? Page, string? Error) Apply(IReadOnlyList<TrialRow> trials)
    {
        if (Page < 1) return (null, $"page must be 1 or more, not {Page}");
        if (Size is < 1 or > MaxSize) return (null, $"size must be between 1 and {MaxSize}, not {Size}");
        var sort = Sort ?? "trial";
        if (!SortKeys.Contains(sort)) return (null, $"sort must be one of {string.Join(", ", SortKeys)}, not '{sort}'");
        var states = State?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var selected = states is { Length: > 0 } ? trials.Where(t => states.Contains(t.State, StringComparer.OrdinalIgnoreCase)) : trials;
        Func<TrialRow, IComparable?> key = sort switch
        {
            "objective" => t => t.Objective,
            "val_accuracy" => t => t.ValAccuracy,
            "params" => t => t.Parameters,
            "seconds" => t => t.Seconds,
            "completed_at" => t => t.CompletedAt,
            _ => t => t.TrialId
        };
        // Rows without the value (unfinished trials) go last either way; the trial id breaks ties.
        var withValue = selected.Where(t => key(t) is not null);
        var ordered = (Desc ? withValue.OrderByDescending(key) : withValue.OrderBy(key)).ThenBy(t => t.TrialId)
            .Concat(selected.Where(t => key(t) is null).OrderBy(t => t.TrialId)).ToArray();
        return (new TrialPage(ordered.Length, Page, Size, ordered.Skip((Page - 1) * Size).Take(Size).ToArray()), null);
    }
}

public sealed record TrialPage(int Total, int Page, int Size, IReadOnlyList<TrialRow> Trials);
