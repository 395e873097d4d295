using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using NasActors.Node.Tests;
using Npgsql;

namespace NasActors.Cli.Tests;

/// <summary>
/// Real `nas node` processes on loopback sharing a throwaway PostgreSQL journal: a search handed over with
/// `nas submit`, a trainer node joining mid-search, one drained with SIGTERM, one killed with SIGKILL; the
/// journal then holds exactly one terminal state per trial, the budget met, and the drained trials preempted.
/// </summary>
public sealed class ClusterProcessTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);
    private readonly PostgresServer _postgres = new();
    private readonly TempFolder _folder = new();
    private readonly List<NasProcess> _nodes = [];

    private NasProcess StartNode(string roles, int port, int seedPort, int adminPort)
    {
        var node = NasProcess.Start(_folder.Path, new Dictionary<string, string> { ["NAS__Node__ConnectionString"] = _postgres.ConnectionString },
            "node", "--config", Path.Combine(RepoPaths.Root, "cluster-config"), "--store", "postgres", "--roles", roles,
            "--port", port.ToString(), "--seeds", $"127.0.0.1:{seedPort}", "--admin-port", adminPort.ToString(), "--trainers", "1");
        _nodes.Add(node);
        return node;
    }

    [Fact]
    public async Task Nodes_join_drain_and_die_mid_search_and_every_trial_ends_exactly_once()
    {
        var seed = FreePort();
        var admin = FreePort();
        var first = StartNode("coordinator,trainer", seed, seed, admin);
        await first.WaitForLineAsync(l => l.Contains(" up: "), Patience);
        var drained = StartNode("trainer", FreePort(), seed, FreePort());
        await drained.WaitForLineAsync(l => l.Contains(" up: "), Patience);

        var spec = _folder.Write("tiny.yaml", TinySpecs.Digits(trials: 10, epochs: 60));
        var submit = await NasProcess.RunToEndAsync(_folder.Path, Patience, "submit", spec, "--cluster", $"127.0.0.1:{admin}");
        Assert.True(submit.ExitCode == 0, submit.Output);
        var searchId = submit.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith("tiny-"));

        // A node joining mid-search gets trials.
        var joined = StartNode("trainer", FreePort(), seed, FreePort());
        await joined.WaitForLineAsync(l => l.Contains(" up: "), Patience);
        await Until(async () => (await Leases()).Any(l => l.Trainer.StartsWith($"{Environment.MachineName}-{joined.Pid}-")));

        // SIGTERM drains: the node exits 0 and its trial is handed back as preempted.
        await Until(async () => (await Leases()).Any(l => l.Trainer.StartsWith($"{Environment.MachineName}-{drained.Pid}-")));
        drained.Signal("TERM");
        Assert.Equal(0, await drained.WaitForExitAsync(Patience));

        // SIGKILL loses nothing: its lease expires and the trial is re-issued.
        joined.KillHard();

        await Until(async () => (await Events()).Any(e => e.Manifest.StartsWith("search-finished")));
        var events = await Events();
        var terminal = events.Where(e => e.Manifest.StartsWith("trial-completed") || e.Manifest.StartsWith("trial-failed"))
            .Select(e => TrialId(e.Json)).ToArray();
        Assert.Equal(terminal.Length, terminal.Distinct().Count());
        Assert.Equal(10, events.Count(e => e.Manifest.StartsWith("trial-completed")));
        Assert.Contains(events, e => e.Manifest.StartsWith("trial-handed-back") && e.Json.Contains("\"preempted\""));
        Assert.Contains(searchId, events.Select(e => e.PersistenceId).First(id => id.Contains("tiny")));
    }

    private sealed record JournalEvent(string PersistenceId, string Manifest, string Json);

    private sealed record Lease(int TrialId, string Trainer);

    private async Task<IReadOnlyList<JournalEvent>> Events()
    {
        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select persistence_id, manifest, convert_from(message, 'UTF8') from journal where persistence_id like 'search-tiny%' order by ordering", connection);
        var events = new List<JournalEvent>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) events.Add(new JournalEvent(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        catch (PostgresException e) when (e.SqlState == "42P01") { } // no journal table yet
        return events;
    }

    private async Task<IReadOnlyList<Lease>> Leases() =>
        (await Events()).Where(e => e.Manifest.StartsWith("trial-leased"))
        .Select(e => new Lease(TrialId(e.Json), Regex.Match(e.Json, "\"TrainerId\":\"([^\"]+)\"").Groups[1].Value)).ToArray();

    private static int TrialId(string json) => int.Parse(Regex.Match(json, "\"TrialId\":(\\d+)").Groups[1].Value);

    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the cluster did not get there in time");
            await Task.Delay(250);
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        foreach (var node in _nodes)
        {
            try { node.KillHard(); } catch (InvalidOperationException) { }
            node.Dispose();
        }
        _postgres.Dispose();
        _folder.Dispose();
    }
}
