namespace NasActors.Engine.Searches.Index;

/// <summary>Every message for the search index (one entity per cluster, routed through the "search-index" region).</summary>
public interface ISearchIndexMessage;

/// <summary>The index of running searches: coordinators register and unregister; nodes wake it at start.</summary>
public static class SearchIndexProtocol
{
    /// <summary>Idempotent; sent by a coordinator when its search starts or recovers running.</summary>
    public sealed record RegisterSearch(SearchId SearchId) : ISearchIndexMessage;

    /// <summary>Sent by a coordinator when its search is over.</summary>
    public sealed record UnregisterSearch(SearchId SearchId) : ISearchIndexMessage;

    /// <summary>A node started: the index (recovering if it was not running) wakes every running search.</summary>
    public sealed record WakeSearches : ISearchIndexMessage;

    public sealed record GetActiveSearches : ISearchIndexMessage;

    public sealed record ActiveSearches(IReadOnlyList<SearchId> SearchIds);
}

/// <summary>Registry key of the "search-index" shard region.</summary>
public sealed class SearchIndexRegion
{
    public const string Name = "search-index";
}
