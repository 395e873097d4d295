using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace NasActors.Cli.Tests;

/// <summary>Reads a search's raw events straight from the SQLite journal, independent of the product's code.</summary>
public static class JournalReader
{
    public sealed record Event(long Ordering, string Manifest, JsonElement Payload)
    {
        public int TrialId => Payload.TryGetProperty("TrialId", out var id) ? id.GetInt32() : Payload.GetProperty("Trial").GetProperty("TrialId").GetInt32();
    }

    public static IReadOnlyList<Event> Read(string dbFile)
    {
        using var connection = new SqliteConnection($"Data Source={dbFile};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT ordering, manifest, message FROM journal WHERE persistence_id LIKE 'search-%' ORDER BY ordering";
        using var reader = command.ExecuteReader();
        var events = new List<Event>();
        while (reader.Read())
            events.Add(new Event(reader.GetInt64(0), reader.GetString(1), JsonDocument.Parse((byte[])reader["message"]).RootElement.Clone()));
        return events;
    }
}
