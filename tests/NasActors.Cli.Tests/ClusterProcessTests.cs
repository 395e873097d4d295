using System.Text.RegularExpressions;

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
    private readonly LoopbackCluster _cluster = new();

    private Task<ClusterNode> StartAsync(ClusterNode node, string seeds, int trainers, string fake = "fake:4s") =>
        _cluster.StartAsync(node, seeds, trainers, new Dictionary<string, string> { ["NAS_FAULTS"] = fake });

    [Fact]
    public async Task A_search_survives_joins_kills_a_drain_and_a_full_restart_and_every_trial_ends_exactly_once()
    {
        var a = new ClusterNode("a", "coordinator,trainer");
        var b = new ClusterNode("b", "coordinator,trainer");
        var c = new ClusterNode("c", "trainer");
        var d = new ClusterNode("d", "trainer");
        var seeds = $"127.0.0.1:{a.Port},127.0.0.1:{b.Port}";
        await Task.WhenAll(StartAsync(a, seeds, 1), StartAsync(b, seeds, 1), StartAsync(c, seeds, 1));
        await Until(async () => (await _cluster.Members(a)).Count(m => m.Status == "Up") == 3, "three members up");

        var spec = _cluster.Folder.Write("tiny.yaml", TinySpecs.Digits(trials: Budget, epochs: 4, leaseSeconds: 10, execution: "max_attempts: 10"));
        var submit = await NasProcess.RunToEndAsync(_cluster.Folder.Path, LoopbackCluster.Patience, "submit", spec, "--cluster", $"127.0.0.1:{a.AdminPort}");
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
        await _cluster.UntilRemoved(c, survivor: a);

        // 3. The node hosting the search's coordinator SIGKILLed: the shard moves to the other coordinator node.
        var host = HostOf(searchId, a, b);
        Assert.NotNull(host);
        var survivor = host == a ? b : a;
        var completedBefore = (await Events()).Count(e => e.Manifest.StartsWith("trial-completed"));
        host.Process.KillHard();
        await _cluster.UntilRemoved(host, survivor);
        await Until(() => Task.FromResult(HostOf(searchId, a, b) == survivor), "the search's coordinator running on the surviving coordinator node");
        await Until(async () => (await Events()).Count(e => e.Manifest.StartsWith("trial-completed")) > completedBefore + 2, "trials completed after the move");

        // 4. SIGTERM drains: the node exits 0 and hands the trial it holds back as preempted. The signal goes out as soon as
        //    the node leases a new trial, so the trial cannot finish before the drain reaches it.
        var leasesOfD = (await Leases()).Count(l => l.Trainer.StartsWith(d.TrainerPrefix));
        await Until(async () => (await Leases()).Count(l => l.Trainer.StartsWith(d.TrainerPrefix)) > leasesOfD, "node d leasing a fresh trial");
        var drainedAt = (await Events()).Count;
        d.Process.Signal("TERM");
        Assert.Equal(0, await d.Process.WaitForExitAsync(LoopbackCluster.Patience));
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

    /// <summary>A lease the node's trainer holds now (its trial has no later lease, hand-back, expiry or end).</summary>
    private async Task<Lease> LiveLeaseOf(ClusterNode node)
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
    private static bool ReissuedAfter(IReadOnlyList<JournalEvent> events, int since, ClusterNode node)
    {
        var leases = events.Select((e, i) => (e, i)).Where(x => x.e.Manifest.StartsWith("trial-leased")).Select(x => (Lease: ToLease(x.e), Index: x.i)).ToArray();
        var held = leases.Where(x => x.Lease.Trainer.StartsWith(node.TrainerPrefix)).Select(x => x.Lease).ToArray();
        return leases.Any(x => x.Index >= since && !x.Lease.Trainer.StartsWith(node.TrainerPrefix)
                               && held.Any(h => h.TrialId == x.Lease.TrialId && h.Epoch < x.Lease.Epoch));
    }

    /// <summary>Which of the coordinator nodes last logged that it runs the search's coordinator.</summary>
    private ClusterNode? HostOf(string searchId, params ClusterNode[] coordinators) =>
        coordinators.Select(n => (Node: n, Last: _cluster.LogLines(n).Where(l => l.Contains($"search {searchId}: coordinator running on this node")).LastOrDefault()))
            .Where(x => x.Last is not null).OrderBy(x => x.Last!.Split(' ')[0], StringComparer.Ordinal).Select(x => x.Node).LastOrDefault();

    private async Task<IReadOnlyList<JournalEvent>> Events() =>
        (await _cluster.Query("select persistence_id, manifest, convert_from(message, 'UTF8') from journal where persistence_id like 'search-tiny%' order by ordering"))
        .Select(r => new JournalEvent(r[0], r[1], r[2])).ToArray();

    private async Task<IReadOnlyList<Lease>> Leases() =>
        (await Events()).Where(e => e.Manifest.StartsWith("trial-leased")).Select(ToLease).ToArray();

    private static Lease ToLease(JournalEvent e) =>
        new(TrialId(e.Json), Regex.Match(e.Json, "\"TrainerId\":\"([^\"]+)\"").Groups[1].Value, Epoch(e.Json));

    private static int TrialId(string json) => Regex.Match(json, "\"TrialId\":(\\d+)") is { Success: true } m ? int.Parse(m.Groups[1].Value) : -1;

    private static int Epoch(string json) => int.Parse(Regex.Match(json, "\"LeaseEpoch\":(\\d+)").Groups[1].Value);

    private static Task Until(Func<Task<bool>> condition, string what) => LoopbackCluster.Until(condition, what);

    public void Dispose() => _cluster.Dispose();
}
