using NasActors.Core.Trials;

namespace NasActors.Core.Specs;

/// <summary>
/// The <c>warm_start:</c> block: results known before the search — a results.csv (<see cref="Results"/>, as
/// <c>nas run</c> writes it) or another search of the same store (<see cref="Search"/>) — that the strategy learns
/// from before its first proposal (Optuna's <c>add_trial</c>). Whoever starts the search reads the source into
/// <see cref="Known"/>, so the journal's copy of the spec holds the very rows the strategy learned from and recovery
/// never reads the source again. Known results are not trials of this search: they are not trained, not counted in
/// the budget and never its best.
/// </summary>
public sealed record WarmStartSpec(string? Results, string? Search)
{
    public IReadOnlyList<KnownResult> Known { get; init; } = [];

    /// <summary>The source as a person would name it.</summary>
    public string Source => Results is { } path ? $"'{path}'" : $"search '{Search}'";
}

/// <summary>One completed evaluation from elsewhere: its canonical architecture and what was measured.</summary>
public sealed record KnownResult(string Architecture, TrialMetrics Metrics);
