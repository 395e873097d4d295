using NasActors.Engine.Searches;
using NasActors.Node.Storage;

namespace NasActors.Node.Http;

/// <summary>
/// Where the dashboard, the read API and the metrics read searches from: the journal itself, never a live
/// actor, so they work beside a running search and after the cluster is gone: SQLite
/// (<see cref="SqliteJournalSource"/>) and PostgreSQL (<see cref="PostgresJournalSource"/>), over the same queries.
/// </summary>
public interface IJournalSource
{
    /// <summary>The searches the journal holds, oldest first.</summary>
    IReadOnlyList<SearchId> Searches();

    /// <summary>A search's state rebuilt from its snapshot and events.</summary>
    SearchState State(SearchId searchId);

    /// <summary>The search's journal entries after a global ordering, oldest first.</summary>
    IReadOnlyList<JournalRecord> Events(SearchId searchId, long afterOrdering = 0);

    /// <summary>The journal's highest ordering: it changes with every write, so polling it is how readers see change.</summary>
    long LastOrdering();
}
