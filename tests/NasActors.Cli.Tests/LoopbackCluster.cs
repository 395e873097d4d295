using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using NasActors.Node.Tests;
using Npgsql;

namespace NasActors.Cli.Tests;

/// <summary>
/// Real `nas node` processes on loopback sharing a throwaway PostgreSQL journal, for the multi-process tests: starts
/// nodes with the tests' failure-detector settings, reads a node's members (admin API) and log, queries the journal,
/// and waits for conditions. Disposing it kills every node and removes the database and the folder.
/// </summary>
public sealed class LoopbackCluster : IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private readonly List<NasProcess> _processes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public PostgresServer Postgres { get; } = new();
    public TempFolder Folder { get; } = new();

    /// <summary>
    /// Starts <paramref name="node"/> with <paramref name="trainers"/> trainers and waits until it is a member that is Up, as it
    /// sees itself (its "member of the cluster" line; unless <paramref name="alone"/>: a node whose seeds nobody answers, started to be joined later);
    /// <paramref name="environment"/> adds to or overrides the defaults.
    /// </summary>
    public async Task<ClusterNode> StartAsync(ClusterNode node, string seeds, int trainers, IReadOnlyDictionary<string, string>? environment = null,
        bool alone = false)
    {
        var variables = new Dictionary<string, string>
        {
            ["NAS__Node__ConnectionString"] = Postgres.ConnectionString,
            // Short enough that a killed node is downed within ~20 s, long enough for two busy cores not to look dead.
            ["NAS__Cluster__AcceptableHeartbeatPause"] = "8s",
            ["NAS__Cluster__StableAfter"] = "6s"
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) variables[name] = value;
        node.Process = NasProcess.Start(Folder.Path, variables,
            "node", "--config", Path.Combine(RepoPaths.Root, "cluster-config"), "--store", "postgres", "--roles", node.Roles,
            "--port", node.Port.ToString(), "--seeds", seeds, "--admin-port", node.AdminPort.ToString(), "--trainers", trainers.ToString());
        _processes.Add(node.Process);
        await node.Process.WaitForLineAsync(l => l.Contains(" up: "), Patience);
        // The "up" line comes once the node has started, maybe while it is still Joining; the node says when it is a member
        // (Up). The split-brain resolver counts only Up members, so a fault injected before then meets a smaller cluster than
        // the test means: with one of three nodes still Joining, killing one of the other two is an even split, which the
        // dead node's side wins half the time.
        if (!alone) await node.Process.WaitForLineAsync(l => l.Contains(": member of the cluster (Up)"), Patience);
        return node;
    }

    /// <summary>The members <paramref name="node"/> sees (none while its admin API is not listening).</summary>
    public async Task<IReadOnlyList<ClusterMember>> Members(ClusterNode node)
    {
        try
        {
            return await _http.GetFromJsonAsync<ClusterMember[]>($"http://{node.Admin}/api/cluster/members") ?? [];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return [];
        }
    }

    /// <summary>The node's log so far (node-PORT.log), read while the node may still write it.</summary>
    public string[] LogLines(ClusterNode node)
    {
        var file = Path.Combine(Folder.Path, ".nas-node", "logs", $"node-{node.Port}.log");
        if (!File.Exists(file)) return [];
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd().Split('\n');
    }

    /// <summary>Waits until the cluster (as <paramref name="survivor"/> sees it) has removed the killed node, so the next fault meets a settled cluster.</summary>
    public Task UntilRemoved(ClusterNode killed, ClusterNode survivor) =>
        Until(async () => (await Members(survivor)) is { Count: > 0 } members && members.All(m => !m.Address.EndsWith($":{killed.Port}")),
            $"node {killed.Name} removed from the cluster");

    /// <summary>Rows of a journal query, every column as text; none while the table does not exist yet.</summary>
    public async Task<IReadOnlyList<string[]>> Query(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var rows = new List<string[]>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
        }
        catch (PostgresException e) when (e.SqlState == "42P01") { } // no journal table yet
        return rows;
    }

    public static async Task Until(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the cluster did not get there in {Patience}: {what}");
            await Task.Delay(250);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            try { process.KillHard(); } catch (InvalidOperationException) { }
            process.Dispose();
        }
        _http.Dispose();
        Postgres.Dispose();
        Folder.Dispose();
    }
}

/// <summary>One `nas node` of a <see cref="LoopbackCluster"/>: its name in the test, roles and loopback ports.</summary>
public sealed class ClusterNode(string name, string roles)
{
    public string Name { get; } = name;
    public string Roles { get; } = roles;
    public int Port { get; } = LoopbackCluster.FreePort();
    public int AdminPort { get; } = LoopbackCluster.FreePort();
    public NasProcess Process { get; set; } = null!;
    public string Admin => $"127.0.0.1:{AdminPort}";
    public string TrainerPrefix => $"{Environment.MachineName}-{Process.Pid}-";
}

public sealed record ClusterMember(string Address, string Status);
