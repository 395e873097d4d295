using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace NasActors.Cli.Tests;

/// <summary>Reads a search's raw events straight from the journal (SQLite or PostgreSQL), independent of the product's code.</summary>
public static class JournalReader
{
    public sealed record Event(long Ordering, string PersistenceId, string Manifest, JsonElement Payload)
    {
        public int TrialId => Payload.TryGetProperty("TrialId", out var id) ? id.GetInt32() : Payload.GetProperty("Trial").GetProperty("TrialId").GetInt32();
    }

    /// <param name="persistencePrefix">whose events: the searches' by default; "agent-" for the MANAS agents'</param>
    public static IReadOnlyList<Event> Read(string dbFile, string persistencePrefix = "search-")
    {
        using var connection = new SqliteConnection($"Data Source={dbFile};Mode=ReadOnly;Pooling=False");
        return Read(connection, persistencePrefix);
    }

    /// <summary>Reads through an open or closed connection to any journal with Akka.Persistence.Sql's schema.</summary>
    public static IReadOnlyList<Event> Read(DbConnection connection, string persistencePrefix = "search-")
    {
        if (connection.State != System.Data.ConnectionState.Open) connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT ordering, persistence_id, manifest, message FROM journal WHERE persistence_id LIKE @prefix || '%' ORDER BY ordering";
        var prefix = command.CreateParameter();
        (prefix.ParameterName, prefix.Value) = ("@prefix", persistencePrefix);
        command.Parameters.Add(prefix);
        using var reader = command.ExecuteReader();
        var events = new List<Event>();
        while (reader.Read())
            events.Add(new Event(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), JsonDocument.Parse((byte[])reader["message"]).RootElement.Clone()));
        return events;
    }
}
