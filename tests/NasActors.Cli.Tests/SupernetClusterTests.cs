using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using NasActors.Node.Tests;
using Npgsql;

namespace NasActors.Cli.Tests;

/// <summary>
/// SPOS on a cluster of real `nas node` processes sharing a throwaway PostgreSQL journal: two coordinator nodes (the
/// search and its supernet shard live there) and two trainer nodes, whose trainers run the supernet's rounds. A trainer
/// node is SIGKILLed while it trains: the round it held is handed out again and lands once. The node hosting the shard
/// is SIGKILLed (the search paused first, so the journal stands still): the shard restores on the other coordinator
/// node from its snapshot and events and serves exactly the versions it had journaled. The search then finishes with
/// every round merged once per block, the ranking recorded once and the budget's trials retrained once each.
/// Each fault waits for evidence in the journal or the logs first, and for the cluster to remove the killed node.
/// </summary>
public sealed class SupernetClusterTests : IDisposable
{
    private const int Rounds = 400;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private readonly PostgresServer _postgres = new();
    private readonly TempFolder _folder = new();
    private readonly List<NasProcess> _processes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private sealed record Node(string Name, string Roles, int Port, int AdminPort)
    {
        public NasProcess Process { get; set; } = null!;
        public string Admin => $"127.0.0.1:{AdminPort}";
    }

    private static string Spec() => $"""
        name: sposc
        seed: 5
        space:
          type: mlp
          depth: [1, 2]
          widths: [16, 32]
          activations: [relu, tanh]
          dropout: [0.0]
        dataset:
          path: {RepoPaths.Digits}
        training:
          epochs: 1
          batch_size: 32
        strategy:
          name: spos
          shards: 1
          rounds: {Rounds}
          batches_per_round: 4
          max_staleness: 100000
          population: 4
          generations: 1
          parents: 2
        budget:
          trials: 2
        execution:
          lease_seconds: 20
        """;

    [Fact]
    public async Task Supernet_rounds_survive_a_killed_trainer_node_and_the_shard_survives_its_node()
    {
        var a = new Node("a", "coordinator", ClusterProcessTests.FreePort(), ClusterProcessTests.FreePort());
        var b = new Node("b", "coordinator", ClusterProcessTests.FreePort(), ClusterProcessTests.FreePort());
        var c = new Node("c", "trainer", ClusterProcessTests.FreePort(), ClusterProcessTests.FreePort());
        var d = new Node("d", "trainer", ClusterProcessTests.FreePort(), ClusterProcessTests.FreePort());
        var seeds = $"127.0.0.1:{a.Port},127.0.0.1:{b.Port}";
        await Task.WhenAll(StartAsync(a, seeds), StartAsync(b, seeds), StartAsync(c, seeds), StartAsync(d, seeds));
        await Until(async () => (await Members(a)).Count(m => m.Status == "Up") == 4, "four members up");

        var submit = await NasProcess.RunToEndAsync(_folder.Path, Patience, "submit", _folder.Write("spos.yaml", Spec()), "--cluster", a.Admin);
        Assert.True(submit.ExitCode == 0, submit.Output);
        var searchId = submit.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith("sposc-"));

        // 1. A trainer node SIGKILLed while its trainer trains the supernet (rounds are in the shard's journal, and its
        //    worker joined): the driver hands the round it held out again once the cluster has removed the node.
        await Until(async () => LogLines(c).Any(l => l.Contains($"training the supernet of search {searchId}"))
                                && (await ShardUpdates()).Count(u => u.Block == "head") >= 5, "node c training the supernet");
        c.Process.KillHard();
        string? lostLine = null;
        await Until(() => Task.FromResult((lostLine = LogLines(a).Concat(LogLines(b))
            .FirstOrDefault(l => l.Contains("supernet worker") && l.Contains($":{c.Port}/") && l.Contains("left holding round"))) is not null),
            "the round node c held handed out again");
        var lostRound = int.Parse(Regex.Match(lostLine!, @"left holding round (\d+)").Groups[1].Value);
        await UntilRemoved(c, survivor: a);

        // 2. Paused (the journal stands still), then the node hosting the shard SIGKILLed: resumed, the shard restores on
        //    the other coordinator node and serves exactly the versions its journal holds.
        Assert.Equal(0, (await NasProcess.RunToEndAsync(_folder.Path, Patience, "pause", searchId, "--cluster", a.Admin)).ExitCode);
        Assert.DoesNotContain(await SearchManifests(), m => m.StartsWith("subnets-ranked")); // phase 1 was still running
        var shardId = $"supernet-shard-{searchId}/supernet-shard-0";
        var host = new[] { a, b }.Select(n => (Node: n, Last: LogLines(n).LastOrDefault(l => l.Contains($"{shardId}: serving on this node"))))
            .Where(x => x.Last is not null).OrderBy(x => x.Last!.Split(' ')[0], StringComparer.Ordinal).Select(x => x.Node).Last();
        var survivor = host == a ? b : a;
        var servedBefore = LogLines(survivor).Count(l => l.Contains($"{shardId}: serving on this node"));
        host.Process.KillHard();
        var journaled = (await ShardUpdates()).GroupBy(u => u.Block).ToDictionary(g => g.Key, g => g.Max(u => u.Version));
        await UntilRemoved(host, survivor);
        Assert.Equal(0, (await NasProcess.RunToEndAsync(_folder.Path, Patience, "resume", searchId, "--cluster", survivor.Admin)).ExitCode);
        string? served = null;
        await Until(() => Task.FromResult((served = LogLines(survivor).Where(l => l.Contains($"{shardId}: serving on this node")).Skip(servedBefore).FirstOrDefault())
            is not null), "the shard serving on the surviving coordinator node");
        var versions = string.Join(" ", journaled.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}"));
        Assert.EndsWith($"at versions {versions}", served!.TrimEnd());
        Assert.True(journaled["head"] > 50, "the shard must have snapshotted (every 50 events) before its node died");
        Assert.Contains("supernet-shard-snapshot.v2", await SnapshotManifests(shardId));

        // 3. The search finishes: every round reached the head once (the lost one too), no block took a round twice.
        await Until(async () => (await SearchManifests()).Any(m => m.StartsWith("search-finished")), "the search finished");
        var updates = await ShardUpdates();
        Assert.Equal(Enumerable.Range(0, Rounds), updates.Where(u => u.Block == "head").Select(u => u.Round).Order());
        Assert.All(updates.GroupBy(u => (u.Block, u.Round)), g => Assert.Single(g));
        Assert.Single(updates, u => u.Block == "head" && u.Round == lostRound);
        var search = await SearchManifests();
        Assert.Single(search, m => m == "subnets-ranked.v1");
        Assert.Equal(2, search.Count(m => m.StartsWith("trial-completed")));
    }

    private sealed record Member(string Address, string Status);

    private sealed record Update(string Block, long Version, int Round);

    private async Task StartAsync(Node node, string seeds)
    {
        node.Process = NasProcess.Start(_folder.Path, new Dictionary<string, string>
            {
                ["NAS__Node__ConnectionString"] = _postgres.ConnectionString,
                // As in ClusterProcessTests: a killed node is downed within ~20 s, yet two busy cores do not look dead.
                ["NAS__Cluster__AcceptableHeartbeatPause"] = "8s",
                ["NAS__Cluster__StableAfter"] = "6s"
            },
            "node", "--config", Path.Combine(RepoPaths.Root, "cluster-config"), "--store", "postgres", "--roles", node.Roles,
            "--port", node.Port.ToString(), "--seeds", seeds, "--admin-port", node.AdminPort.ToString(), "--trainers", "1");
        _processes.Add(node.Process);
        await node.Process.WaitForLineAsync(l => l.Contains(" up: "), Patience);
    }

    /// <summary>The shard's merged pushes, straight from the journal.</summary>
    private async Task<IReadOnlyList<Update>> ShardUpdates()
    {
        var updates = new List<Update>();
        foreach (var (manifest, json) in await Journal("supernet-shard-%"))
        {
            if (!manifest.StartsWith("supernet-block-updated")) continue;
            var payload = JsonDocument.Parse(json).RootElement;
            var block = payload.GetProperty("Block");
            updates.Add(new Update(block.GetProperty("Name").GetString()!, block.GetProperty("Version").GetInt64(), payload.GetProperty("Round").GetInt32()));
        }
        return updates;
    }

    private async Task<IReadOnlyList<string>> SearchManifests() => (await Journal("search-sposc%")).Select(e => e.Manifest).ToArray();

    private async Task<IReadOnlyList<string>> SnapshotManifests(string persistenceId) =>
        (await Query("select manifest, '' from snapshot where persistence_id = @id", persistenceId)).Select(e => e.Manifest).ToArray();

    private Task<IReadOnlyList<(string Manifest, string Json)>> Journal(string persistenceIdLike) =>
        Query("select manifest, convert_from(message, 'UTF8') from journal where persistence_id like @id order by ordering", persistenceIdLike);

    private async Task<IReadOnlyList<(string Manifest, string Json)>> Query(string sql, string persistenceId)
    {
        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", persistenceId);
        var rows = new List<(string, string)>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetString(1)));
        }
        catch (PostgresException e) when (e.SqlState == "42P01") { } // no table yet
        return rows;
    }

    private string[] LogLines(Node node)
    {
        var file = Path.Combine(_folder.Path, ".nas-node", "logs", $"node-{node.Port}.log");
        if (!File.Exists(file)) return [];
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd().Split('\n');
    }

    private async Task<IReadOnlyList<Member>> Members(Node node)
    {
        try
        {
            return await _http.GetFromJsonAsync<Member[]>($"http://127.0.0.1:{node.AdminPort}/api/cluster/members") ?? [];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return []; // not listening yet
        }
    }

    private Task UntilRemoved(Node killed, Node survivor) =>
        Until(async () => (await Members(survivor)) is { Count: > 0 } members && members.All(m => !m.Address.EndsWith($":{killed.Port}")),
            $"node {killed.Name} removed from the cluster");

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the cluster did not get there in {Patience}: {what}");
            await Task.Delay(250);
        }
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            try { process.KillHard(); } catch (InvalidOperationException) { }
            process.Dispose();
        }
        _http.Dispose();
        _postgres.Dispose();
        _folder.Dispose();
    }
}
