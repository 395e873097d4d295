using NasActors.Engine.Searches;
using NasActors.Node.Storage;

namespace NasActors.Node.Http;

/// <summary>The journal of an embedded store (one SQLite file), read-only through <see cref="JournalReader"/>.</summary>
public sealed class SqliteJournalSource(JournalReader reader) : IJournalSource
{
    public SqliteJournalSource(string sqliteFile) : this(new JournalReader(sqliteFile)) { }

    public IReadOnlyList<SearchId> Searches() => reader.StartedSearchIds();

    public SearchState State(SearchId searchId) => reader.State(searchId);

    public IReadOnlyList<JournalRecord> Events(SearchId searchId, long afterOrdering = 0) => reader.Events(searchId, afterOrdering);

    public long LastOrdering() => reader.LastOrdering();
}
