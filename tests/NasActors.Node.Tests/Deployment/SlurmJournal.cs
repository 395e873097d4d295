using System.Text.RegularExpressions;
using Npgsql;

namespace NasActors.Node.Tests.Deployment;

/// <summary>The search events the Slurm cluster wrote to its PostgreSQL journal, read with plain SQL (not the product's code).</summary>
public sealed partial class SlurmJournal(string connectionString)
{
    public sealed record Event(string PersistenceId, string Manifest, string Json)
    {
        /// <summary>The trial the event is about; -1 for search-level events.</summary>
        public int TrialId => TrialIdPattern().Match(Json) is { Success: true } m ? int.Parse(m.Groups[1].Value) : -1;

        public bool IsPreemptedHandBack => Manifest.StartsWith("trial-handed-back") && Json.Contains("\"preempted");
    }

    public async Task<IReadOnlyList<Event>> Events()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select persistence_id, manifest, convert_from(message, 'UTF8') from journal where persistence_id like 'search-slurm%' order by ordering",
            connection);
        var events = new List<Event>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) events.Add(new Event(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        catch (PostgresException e) when (e.SqlState == "42P01") { } // no journal table yet
        return events;
    }

    [GeneratedRegex("\"TrialId\":(\\d+)")]
    private static partial Regex TrialIdPattern();
}
