using System.Data.Common;
using NasActors.Engine.Searches;
using NasActors.Engine.Serialization;

namespace NasActors.Node.Storage;

/// <summary>
/// The reads of a search journal that every SQL store shares (Akka.Persistence.Sql's <c>journal</c> and <c>snapshot</c>
/// tables have the same columns on SQLite and PostgreSQL): plain ADO.NET over an open connection whose tables exist.
/// <see cref="JournalReader"/> (SQLite) and <see cref="Http.PostgresJournalSource"/> open the connection their way.
/// </summary>
public static class JournalQueries
{
    /// <summary>The search's latest snapshot and the events after it, folded; <paramref name="transaction"/> makes them one moment.</summary>
    public static void Fold(DbConnection connection, DbTransaction? transaction, SearchState state, bool hasSnapshots)
    {
        var persistenceId = PersistenceId(state.SearchId);
        long from = 0;
        if (hasSnapshots)
        {
            using var snapshot = Command(connection, transaction,
                "SELECT sequence_number, manifest, snapshot FROM snapshot WHERE persistence_id = @id ORDER BY sequence_number DESC LIMIT 1", persistenceId);
            using var row = snapshot.ExecuteReader();
            if (row.Read())
            {
                from = row.GetInt64(0);
                state.Restore((SearchSnapshot)SearchEventSerializer.Decode((byte[])row[2], row.GetString(1)));
            }
        }
        using var events = Command(connection, transaction,
            "SELECT manifest, message FROM journal WHERE persistence_id = @id AND sequence_number > @from AND deleted = false ORDER BY sequence_number", persistenceId);
        Add(events, "@from", from);
        using var reader = events.ExecuteReader();
        while (reader.Read()) state.Apply((ISearchEvent)SearchEventSerializer.Decode((byte[])reader[1], reader.GetString(0)));
    }

    public static IReadOnlyList<JournalRecord> Events(DbConnection connection, SearchId searchId, long afterOrdering)
    {
        var records = new List<JournalRecord>();
        using var command = Command(connection, null,
            "SELECT ordering, created, manifest, message FROM journal WHERE persistence_id = @id AND ordering > @after AND deleted = false ORDER BY ordering",
            PersistenceId(searchId));
        Add(command, "@after", afterOrdering);
        using var reader = command.ExecuteReader();
        while (reader.Read())
            records.Add(new JournalRecord(reader.GetInt64(0), new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero),
                (ISearchEvent)SearchEventSerializer.Decode((byte[])reader[3], reader.GetString(2))));
        return records;
    }

    public static long LastOrdering(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(ordering), 0) FROM journal";
        return Convert.ToInt64(command.ExecuteScalar());
    }

    /// <summary>Persistence ids whose first event starts a search (not the search index's), oldest first.</summary>
    public static IReadOnlyList<SearchId> StartedSearchIds(DbConnection connection)
    {
        var ids = new List<SearchId>();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT persistence_id FROM journal WHERE sequence_number = 1 AND manifest LIKE 'search-started.%' ORDER BY ordering";
        using var reader = command.ExecuteReader();
        while (reader.Read()) ids.Add(new SearchId(reader.GetString(0)[(SearchCoordinator.PersistencePrefix.Length + 1)..]));
        return ids;
    }

    public static string PersistenceId(SearchId searchId) => $"{SearchCoordinator.PersistencePrefix}-{searchId}";

    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, string persistenceId)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        Add(command, "@id", persistenceId);
        return command;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
