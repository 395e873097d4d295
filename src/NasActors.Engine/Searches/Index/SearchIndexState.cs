using System.Collections.Immutable;
using static NasActors.Engine.Searches.Index.SearchIndexEvents;
using static NasActors.Engine.Searches.Index.SearchIndexProtocol;

namespace NasActors.Engine.Searches.Index;

/// <summary>The running searches, immutable: <see cref="Process"/> → events, <see cref="Apply"/>. Also its snapshot.</summary>
public sealed record SearchIndexState(ImmutableSortedSet<string> Active)
{
    public static readonly SearchIndexState Empty = new(ImmutableSortedSet.Create<string>(StringComparer.Ordinal));

    public IReadOnlyList<ISearchIndexEvent> Process(ISearchIndexMessage command) => command switch
    {
        RegisterSearch r when !Active.Contains(r.SearchId.Value) => [new SearchRegistered(r.SearchId.Value)],
        UnregisterSearch u when Active.Contains(u.SearchId.Value) => [new SearchUnregistered(u.SearchId.Value)],
        _ => []
    };

    public SearchIndexState Apply(ISearchIndexEvent e) => e switch
    {
        SearchRegistered r => this with { Active = Active.Add(r.SearchId) },
        SearchUnregistered u => this with { Active = Active.Remove(u.SearchId) },
        _ => throw new ArgumentException($"unknown search index event {e.GetType().Name}")
    };

    public IReadOnlyList<SearchId> Searches => Active.Select(id => new SearchId(id)).ToArray();
}
