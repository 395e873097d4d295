using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Node.Storage;

namespace NasActors.Cli;

/// <summary>
/// Reads a spec's <c>warm_start:</c> source into its known results before the search is started, so the journal's
/// spec holds the rows themselves. Done after the search's id is taken (the id names the source, not its rows, so
/// running the spec again resumes the same search even if the source has grown since).
/// </summary>
public static class WarmStartSource
{
    /// <param name="searchResults">the completed trials of a search of this store, or null when there is no such search</param>
    public static SearchSpec Resolve(SearchSpec spec, Func<SearchId, IReadOnlyList<KnownResult>?> searchResults)
    {
        if (spec.WarmStart is not { } warm) return spec;
        var known = warm.Results is { } path
            ? KnownResultsCsv.Read(path)
            : searchResults(new SearchId(warm.Search!)) ?? throw new UsageException($"warm_start.search: no search '{warm.Search}' in this store");
        return spec with { WarmStart = warm with { Known = known } };
    }

    /// <summary>The completed trials of <paramref name="id"/> in an SQLite store, as known results; null when the store has no such search.</summary>
    public static IReadOnlyList<KnownResult>? FromStore(JournalReader journal, SearchId id)
    {
        var status = journal.Status(id, includeTrials: true);
        if (status.Phase == SearchPhase.NotStarted) return null;
        // A row answered from the ledger (budget.cache) repeats the row it came from: taught once.
        return (status.Trials ?? []).Where(t => t.State == TrialState.Completed && t.Metrics is not null && t.CachedFrom is null)
            .Select(t => new KnownResult(t.Architecture, t.Metrics!)).ToArray();
    }
}
