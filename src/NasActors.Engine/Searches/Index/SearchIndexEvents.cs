namespace NasActors.Engine.Searches.Index;

/// <summary>Events of the search index (manifests in <see cref="Serialization.EntityEventSerializer"/>).</summary>
public interface ISearchIndexEvent;

public static class SearchIndexEvents
{
    public sealed record SearchRegistered(string SearchId) : ISearchIndexEvent;

    public sealed record SearchUnregistered(string SearchId) : ISearchIndexEvent;
}

/// <summary>Snapshot of the search index.</summary>
public sealed record SearchIndexSnapshot(IReadOnlyList<string> Active);
