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
        var persistenceId = $"{SearchCoordinator.PersistencePrefix}-{searchId}";
        Query(connection =>
        {
            var hasSnapshots = HasTable(connection, "snapshot");
            if (!HasTable(connection, "journal")) return;
            // One read transaction: the snapshot and the events after it come from the same moment.
            using var transaction = connection.BeginTransaction(deferred: true);
            long from = 0;
            if (hasSnapshots)
            {
                using var snapshot = Command(connection, transaction,
                    "SELECT sequence_number, manifest, snapshot FROM snapshot WHERE persistence_id = $id ORDER BY sequence_number DESC LIMIT 1", persistenceId);
                using var row = snapshot.ExecuteReader();
                if (row.Read())
                {
                    from = row.GetInt64(0);
                    state.Restore((SearchSnapshot)SearchEventSerializer.Decode((byte[])row[2], row.GetString(1)));
                }
            }
            using var events = Command(connection, transaction,
                "SELECT manifest, message FROM journal WHERE persistence_id = $id AND sequence_number > $from AND deleted = 0 ORDER BY sequence_number", persistenceId);
            events.Parameters.AddWithValue("$from", from);
            using var reader = events.ExecuteReader();
            while (reader.Read()) state.Apply((ISearchEvent)SearchEventSerializer.Decode((byte[])reader[1], reader.GetString(0)));
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
