using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using NasActors.Node.Tests;
using Npgsql;

namespace NasActors.Cli.Tests;

/// <summary>
/// Real `nas node` processes on loopback sharing a throwaway PostgreSQL journal, through the whole elastic
/// sequence: three nodes (two coordinators), a search handed over with `nas submit`, a fourth node joining
/// mid-search, a trainer node SIGKILLed, the node hosting the search's coordinator SIGKILLed, a node drained
/// with SIGTERM, then every node killed and started again with no submit. The journal then holds exactly
/// one terminal state per trial, the budget met, the drained trial preempted.
/// Trials are the fake evaluator's (NAS_FAULTS=fake:4s, four 1 s "epochs"), so the test measures the cluster,
/// not how fast TorchSharp trains on a busy machine. Faults are sequenced: the test waits until the cluster has
/// removed a killed node before the next fault, so keep-majority always sees one unreachable node at a time.
/// </summary>
public sealed class ClusterProcessTests : IDisposable
{
    private const int Budget = 240;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private readonly PostgresServer _postgres = new();
    private readonly TempFolder _folder = new();
    private readonly List<NasProcess> _processes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private sealed record Node(string Name, string Roles, int Port, int AdminPort)
    {
        public NasProcess Process { get; set; } = null!;
        public string TrainerPrefix => $"{Environment.MachineName}-{Process.Pid}-";
    }

    private async Task<Node> StartAsync(Node node, string seeds, int trainers, string fake = "fake:4s")
    {
        node.Process = NasProcess.Start(_folder.Path, new Dictionary<string, string>
            {
                ["NAS__Node__ConnectionString"] = _postgres.ConnectionString,
                ["NAS_FAULTS"] = fake,
                // Short enough that a killed node is downed within ~20 s, long enough for two busy cores.
                ["NAS__Cluster__AcceptableHeartbeatPause"] = "8s",
                ["NAS__Cluster__StableAfter"] = "6s"
            },
            "node", "--config", Path.Combine(RepoPaths.Root, "cluster-config"), "--store", "postgres", "--roles", node.Roles,
            "--port", node.Port.ToString(), "--seeds", seeds, "--admin-port", node.AdminPort.ToString(), "--trainers", trainers.ToString());
        _processes.Add(node.Process);
        await node.Process.WaitForLineAsync(l => l.Contains(" up: "), Patience);
        return node;
    }

    [Fact]
    public async Task A_search_survives_joins_kills_a_drain_and_a_full_restart_and_every_trial_ends_exactly_once()
    {
        var a = new Node("a", "coordinator,trainer", FreePort(), FreePort());
        var b = new Node("b", "coordinator,trainer", FreePort(), FreePort());
        var c = new Node("c", "trainer", FreePort(), FreePort());
        var d = new Node("d", "trainer", FreePort(), FreePort());
        var seeds = $"127.0.0.1:{a.Port},127.0.0.1:{b.Port}";
        await Task.WhenAll(StartAsync(a, seeds, 1), StartAsync(b, seeds, 1), StartAsync(c, seeds, 1));
        await Until(async () => (await Members(a)).Count(m => m.Status == "Up") == 3, "three members up");

        var spec = _folder.Write("tiny.yaml", TinySpecs.Digits(trials: Budget, epochs: 4, leaseSeconds: 10, execution: "max_attempts: 10"));
        var submit = await NasProcess.RunToEndAsync(_folder.Path, Patience, "submit", spec, "--cluster", $"127.0.0.1:{a.AdminPort}");
        Assert.True(submit.ExitCode == 0, submit.Output);
        var searchId = submit.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith("tiny-"));

        // 1. A node joining mid-search gets trials. Its trials take 20 s (four 5 s epochs), so the drain in step 4 can be
        //    sent at the start of a fresh trial and always meets it mid-trial, never in its last epoch.
        await StartAsync(d, seeds, 1, fake: "fake:20s");
        await Until(async () => (await Leases()).Any(l => l.Trainer.StartsWith(d.TrainerPrefix)), "the joined node leased a trial");

        // 2. A trainer node SIGKILLed: a trial it held is re-issued to another trainer once the lease expires. (A trainer always
        //    holds a lease while the search has work: its next trial is leased in the same write as its last result.)
        await LiveLeaseOf(c);
        var killedAt = (await Events()).Count;
        c.Process.KillHard();
        await Until(async () => ReissuedAfter(await Events(), killedAt, c), "a trial of the killed trainer node re-issued");
        await UntilRemoved(c, survivor: a);

        // 3. The node hosting the search's coordinator SIGKILLed: the shard moves to the other coordinator node.
        var host = HostOf(searchId, a, b);
        Assert.NotNull(host);
        var survivor = host == a ? b : a;
        var completedBefore = (await Events()).Count(e => e.Manifest.StartsWith("trial-completed"));
        host.Process.KillHard();
        await UntilRemoved(host, survivor);
        await Until(() => Task.FromResult(HostOf(searchId, a, b) == survivor), "the search's coordinator running on the surviving coordinator node");
        await Until(async () => (await Events()).Count(e => e.Manifest.StartsWith("trial-completed")) > completedBefore + 2, "trials completed after the move");

        // 4. SIGTERM drains: the node exits 0 and hands the trial it holds back as preempted. The signal goes out as soon as
        //    the node leases a new trial, so the trial cannot finish before the drain reaches it.
        var leasesOfD = (await Leases()).Count(l => l.Trainer.StartsWith(d.TrainerPrefix));
        await Until(async () => (await Leases()).Count(l => l.Trainer.StartsWith(d.TrainerPrefix)) > leasesOfD, "node d leasing a fresh trial");
        var drainedAt = (await Events()).Count;
        d.Process.Signal("TERM");
        Assert.Equal(0, await d.Process.WaitForExitAsync(Patience));
        var afterDrain = await Events();
        var leasedToD = afterDrain.Where(e => e.Manifest.StartsWith("trial-leased")).Select(ToLease).Where(l => l.Trainer.StartsWith(d.TrainerPrefix))
            .Select(l => (l.TrialId, l.Epoch)).ToHashSet();
        Assert.Contains(afterDrain.Skip(drainedAt), e => e.Manifest.StartsWith("trial-handed-back") && e.Json.Contains("\"preempted")
                                                       && leasedToD.Contains((TrialId(e.Json), Epoch(e.Json))));

        // 5. Every node killed, then started again: the search resumes by itself (no submit).
        survivor.Process.KillHard();
        Assert.DoesNotContain(await Events(), e => e.Manifest.StartsWith("search-finished"));
        var completedBeforeRestart = (await Events()).Count(e => e.Manifest.StartsWith("trial-completed"));
        await Task.WhenAll(StartAsync(a, seeds, 16), StartAsync(b, seeds, 16), StartAsync(c, seeds, 16));

        await Until(async () => (await Events()).Any(e => e.Manifest.StartsWith("search-finished")), "the search finished");
        var events = await Events();
        Assert.True(completedBeforeRestart < Budget, "the search must still have had work left when every node was killed");
        var proposed = events.Where(e => e.Manifest.StartsWith("trial-proposed")).Select(e => TrialId(e.Json)).ToHashSet();
        var terminal = events.Where(e => e.Manifest.StartsWith("trial-completed") || e.Manifest.StartsWith("trial-failed")
                                         || e.Manifest.StartsWith("trial-quarantined"))
            .Select(e => TrialId(e.Json)).ToArray();
        Assert.Equal(terminal.Length, terminal.Distinct().Count());
        Assert.Equal(proposed.Order(), terminal.Order());
        Assert.Equal(Budget, events.Count(e => e.Manifest.StartsWith("trial-completed")));
        Assert.Contains(events, e => e.Manifest.StartsWith("search-finished") && e.Json.Contains($"completed {Budget} trials"));
        Assert.All(events, e => Assert.Equal($"search-{searchId}", e.PersistenceId));
    }

    private sealed record JournalEvent(string PersistenceId, string Manifest, string Json);

    private sealed record Lease(int TrialId, string Trainer, int Epoch);

    private sealed record Member(string Address, string Status);

    /// <summary>A lease the node's trainer holds now (its trial has no later lease, hand-back, expiry or end).</summary>
    private async Task<Lease> LiveLeaseOf(Node node)
    {
        Lease? live = null;
        await Until(async () =>
        {
            var events = await Events();
            live = events.Select((e, i) => (e, i)).Where(x => x.e.Manifest.StartsWith("trial-leased"))
                .Select(x => (Lease: ToLease(x.e), x.i))
                .Where(x => x.Lease.Trainer.StartsWith(node.TrainerPrefix))
                .Where(x => !events.Skip(x.i + 1).Any(e => !e.Manifest.StartsWith("trial-proposed") && TrialId(e.Json) == x.Lease.TrialId))
                .Select(x => x.Lease).LastOrDefault();
            return live is not null;
        }, $"node {node.Name} holding a lease");
        return live!;
    }

    /// <summary>A trial the node held is leased again, under a later epoch, to another trainer after <paramref name="since"/> events.</summary>
    private static bool ReissuedAfter(IReadOnlyList<JournalEvent> events, int since, Node node)
    {
        var leases = events.Select((e, i) => (e, i)).Where(x => x.e.Manifest.StartsWith("trial-leased")).Select(x => (Lease: ToLease(x.e), Index: x.i)).ToArray();
        var held = leases.Where(x => x.Lease.Trainer.StartsWith(node.TrainerPrefix)).Select(x => x.Lease).ToArray();
        return leases.Any(x => x.Index >= since && !x.Lease.Trainer.StartsWith(node.TrainerPrefix)
                               && held.Any(h => h.TrialId == x.Lease.TrialId && h.Epoch < x.Lease.Epoch));
    }

    /// <summary>Which of the coordinator nodes last logged that it runs the search's coordinator.</summary>
    private Node? HostOf(string searchId, params Node[] coordinators) =>
        coordinators.Select(n => (Node: n, Last: LogLines(n).Where(l => l.Contains($"search {searchId}: coordinator running on this node")).LastOrDefault()))
            .Where(x => x.Last is not null).OrderBy(x => x.Last!.Split(' ')[0], StringComparer.Ordinal).Select(x => x.Node).LastOrDefault();

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

    /// <summary>Waits until the cluster (as <paramref name="survivor"/> sees it) has removed the killed node, so the next fault meets a settled cluster.</summary>
    private Task UntilRemoved(Node killed, Node survivor) =>
        Until(async () => (await Members(survivor)) is { Count: > 0 } members && members.All(m => !m.Address.EndsWith($":{killed.Port}")),
            $"node {killed.Name} removed from the cluster");

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
        (await Events()).Where(e => e.Manifest.StartsWith("trial-leased")).Select(ToLease).ToArray();

    private static Lease ToLease(JournalEvent e) =>
        new(TrialId(e.Json), Regex.Match(e.Json, "\"TrainerId\":\"([^\"]+)\"").Groups[1].Value, Epoch(e.Json));

    private static int TrialId(string json) => Regex.Match(json, "\"TrialId\":(\\d+)") is { Success: true } m ? int.Parse(m.Groups[1].Value) : -1;

    private static int Epoch(string json) => int.Parse(Regex.Match(json, "\"LeaseEpoch\":(\\d+)").Groups[1].Value);

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the cluster did not get there in {Patience}: {what}");
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
