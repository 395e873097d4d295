using NasActors.Engine.Searches;

namespace NasActors.Node.Http;

/// <summary>
/// Builds each search's <see cref="SearchView"/> once per journal change: every request first asks the journal
/// for its highest ordering (one indexed read) and replays only when it moved. Many browsers polling one store
/// cost one replay per write, not one per request.
/// </summary>
public sealed class SearchViewCache(IJournalSource source)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<SearchId, (long Ordering, SearchView View)> _views = new();

    public IJournalSource Source => source;

    /// <summary>The search's view, or null when the journal holds no such search.</summary>
    public SearchView? Get(SearchId searchId)
    {
        var ordering = source.LastOrdering();
        lock (_gate)
            if (_views.TryGetValue(searchId, out var cached) && cached.Ordering == ordering) return cached.View;
        var state = source.State(searchId);
        if (state.Phase == SearchPhase.NotStarted) return null;
        var view = SearchView.Build(state, source.Events(searchId));
        lock (_gate) _views[searchId] = (ordering, view);
        return view;
    }

    public IReadOnlyList<SearchView> All() => source.Searches().Select(Get).OfType<SearchView>().ToArray();
}
