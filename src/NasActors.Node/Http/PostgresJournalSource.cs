using System.Data;
using NasActors.Engine.Searches;
using NasActors.Node.Storage;
using Npgsql;

namespace NasActors.Node.Http;

/// <summary>
/// The journal of a PostgreSQL store, read with the same queries as SQLite's (<see cref="JournalQueries"/>): every
/// node of a cluster on one database serves the same dashboard. Only reads; before the first search there are no
/// tables yet, which reads as an empty journal.
/// </summary>
public sealed class PostgresJournalSource(string connectionString) : IJournalSource
{
    public IReadOnlyList<SearchId> Searches() => Query(JournalQueries.StartedSearchIds, []);

    public SearchState State(SearchId searchId)
    {
        var state = new SearchState(searchId, () => DateTimeOffset.UtcNow);
        Query(connection =>
        {
            // Repeatable read: the snapshot and the events after it come from the same moment.
            using var transaction = connection.BeginTransaction(IsolationLevel.RepeatableRead);
            JournalQueries.Fold(connection, transaction, state, Exists(connection, "snapshot"));
            return true;
        }, false);
        return state;
    }

    public IReadOnlyList<JournalRecord> Events(SearchId searchId, long afterOrdering = 0) =>
        Query(connection => JournalQueries.Events(connection, searchId, afterOrdering), []);

    public long LastOrdering() => Query(JournalQueries.LastOrdering, 0L);

    private T Query<T>(Func<NpgsqlConnection, T> read, T whenNoJournal)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        return Exists(connection, "journal") ? read(connection) : whenNoJournal;
    }

    private static bool Exists(NpgsqlConnection connection, string table)
    {
        using var command = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection);
        command.Parameters.AddWithValue("table", table);
        return (bool)command.ExecuteScalar()!;
    }
}
