using Microsoft.Data.Sqlite;
using NasActors.Engine.Searches;
using NasActors.Engine.Serialization;

namespace NasActors.Node.Storage;

/// <summary>
/// Reads searches straight from a SQLite store, opened read-only: the latest snapshot and the events
/// after it, decoded by the journal's own serializer and folded by the pure <see cref="SearchState"/>.
/// No actor system, no coordinator, no write: it works beside a running writer (WAL gives it a
/// consistent view) and cannot disturb it. <c>nas status</c>, <c>nas export</c> and finished
/// <c>nas run</c>s read through it.
/// </summary>
public sealed class JournalReader(string sqliteFile)
{
    public string File { get; } = Path.GetFullPath(sqliteFile);

    /// <summary>The search as its journal says; phase NotStarted when the store has no such search (or no store yet).</summary>
    public SearchStatus Status(SearchId searchId, bool includeTrials = false) => State(searchId).ToStatus(includeTrials);

    public SearchState State(SearchId searchId)
    {
        var state = new SearchState(searchId, () => DateTimeOffset.UtcNow);
        if (!System.IO.File.Exists(File)) return state;
        StoreFile.CheckHeader(File);
        Query(connection =>
        {
            if (!HasTable(connection, "journal")) return;
            // One read transaction: the snapshot and the events after it come from the same moment.
            using var transaction = connection.BeginTransaction(deferred: true);
            JournalQueries.Fold(connection, transaction, state, HasTable(connection, "snapshot"));
        });
        return state;
    }

    /// <summary>Whether the store holds events of this search (cheap: no replay).</summary>
    public bool Exists(SearchId searchId)
    {
        if (!System.IO.File.Exists(File)) return false;
        StoreFile.CheckHeader(File);
        var found = false;
        Query(connection =>
        {
            if (!HasTable(connection, "journal")) return;
            using var command = Command(connection, null, "SELECT 1 FROM journal WHERE persistence_id = $id LIMIT 1",
                $"{SearchCoordinator.PersistencePrefix}-{searchId}");
            found = command.ExecuteScalar() is not null;
        });
        return found;
    }

    /// <summary>Ids of the stored searches whose id starts with <paramref name="prefix"/>.</summary>
    public IReadOnlyList<SearchId> SearchIds(string prefix = "")
    {
        var ids = new List<SearchId>();
        if (!System.IO.File.Exists(File)) return ids;
        StoreFile.CheckHeader(File);
        var start = $"{SearchCoordinator.PersistencePrefix}-{prefix}";
        Query(connection =>
        {
            if (!HasTable(connection, "journal")) return;
            using var command = Command(connection, null,
                "SELECT DISTINCT persistence_id FROM journal WHERE substr(persistence_id, 1, length($id)) = $id ORDER BY persistence_id", start);
            using var reader = command.ExecuteReader();
            while (reader.Read()) ids.Add(new SearchId(reader.GetString(0)[(SearchCoordinator.PersistencePrefix.Length + 1)..]));
        });
        return ids;
    }

    /// <summary>
    /// The search's journal entries after <paramref name="afterOrdering"/>, in the order they were written, with
    /// the journal's global ordering and write time: the dashboard's timeline and live feed (a poll of the
    /// ordering column). Entries a snapshot made deletable may be gone; the state is still <see cref="State"/>.
    /// </summary>
    public IReadOnlyList<JournalRecord> Events(SearchId searchId, long afterOrdering = 0)
    {
        var records = new List<JournalRecord>();
        if (!System.IO.File.Exists(File)) return records;
        StoreFile.CheckHeader(File);
        Query(connection =>
        {
            if (HasTable(connection, "journal")) records.AddRange(JournalQueries.Events(connection, searchId, afterOrdering));
        });
        return records;
    }

    /// <summary>The journal's highest ordering (0 when empty): it grows with every write, so a reader polls it to see change.</summary>
    public long LastOrdering()
    {
        if (!System.IO.File.Exists(File)) return 0;
        StoreFile.CheckHeader(File);
        long last = 0;
        Query(connection =>
        {
            if (HasTable(connection, "journal")) last = JournalQueries.LastOrdering(connection);
        });
        return last;
    }

    /// <summary>Ids of the searches the store holds: persistence ids whose first event starts a search (not the search index's).</summary>
    public IReadOnlyList<SearchId> StartedSearchIds()
    {
        var ids = new List<SearchId>();
        if (!System.IO.File.Exists(File)) return ids;
        StoreFile.CheckHeader(File);
        Query(connection =>
        {
            if (HasTable(connection, "journal")) ids.AddRange(JournalQueries.StartedSearchIds(connection));
        });
        return ids;
    }

    private void Query(Action<SqliteConnection> read)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = File, Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 5
            }.ToString());
            connection.Open();
            read(connection);
        }
        catch (SqliteException e) when (SqliteStore.IsCorruption(e))
        {
            throw StoreFile.Corrupt(File, $"damaged ({e.Message.TrimEnd('.')})");
        }
    }

    private static bool HasTable(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.AddWithValue("$name", table);
        return command.ExecuteScalar() is not null;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, string persistenceId)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", persistenceId);
        return command;
    }
}

/// <summary>One journal entry of a search: the journal's global ordering, when it was written, and the event.</summary>
public sealed record JournalRecord(long Ordering, DateTimeOffset Written, ISearchEvent Event);
