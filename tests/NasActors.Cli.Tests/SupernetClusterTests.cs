using System.Text.Json;
using System.Text.RegularExpressions;

namespace NasActors.Cli.Tests;

/// <summary>
/// SPOS on a cluster of real `nas node` processes sharing a throwaway PostgreSQL journal: two coordinator nodes (the
/// search and its supernet shard live there), a trainer node whose trainer runs the supernet's rounds, and a trainer-role
/// node without trainers that only keeps a majority for the split-brain resolver. The trainer node is SIGKILLed while it
/// trains (once the shard has snapshotted): the driver hands the round it held out again, and as no trainer is left the
/// journal stands still. Then every other node is SIGKILLed too and all are started again: the search resumes by itself
/// and the shard serves exactly the versions its journal holds. Then the node hosting the shard is SIGKILLed: when a new trainer node joins, the shard restores
/// on the other coordinator node from its snapshot and events and serves exactly the versions its journal holds. The
/// search finishes with every round merged once per block, the ranking recorded once and the budget's trials trained once.
/// Each fault waits for evidence in the journal or the logs, and for the cluster to remove the node killed before.
/// </summary>
public sealed class SupernetClusterTests : IDisposable
{
    private const int Rounds = 120;
    private readonly LoopbackCluster _cluster = new();

    private static string Spec() =>
        TinySpecs.Spos("sposc", Rounds, shards: 1, population: 4, generations: 1, epochs: 1, execution: "lease_seconds: 20");

    [Fact]
    public async Task Supernet_rounds_survive_a_killed_trainer_node_and_the_shard_survives_its_node()
    {
        var a = new ClusterNode("a", "coordinator");
        var b = new ClusterNode("b", "coordinator");
        var w = new ClusterNode("w", "trainer");
        var c = new ClusterNode("c", "trainer");
        var seeds = $"127.0.0.1:{a.Port},127.0.0.1:{b.Port}";
        await Task.WhenAll(_cluster.StartAsync(a, seeds, 0), _cluster.StartAsync(b, seeds, 0), _cluster.StartAsync(w, seeds, 0), _cluster.StartAsync(c, seeds, 1));
        await Until(async () => (await _cluster.Members(a)).Count(m => m.Status == "Up") == 4, "four members up");

        var submit = await NasProcess.RunToEndAsync(_cluster.Folder.Path, LoopbackCluster.Patience, "submit", _cluster.Folder.Write("spos.yaml", Spec()), "--cluster", a.Admin);
        Assert.True(submit.ExitCode == 0, submit.Output);
        var searchId = submit.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith("sposc-"));
        var shardId = $"supernet-shard-{searchId}/supernet-shard-0";

        // 1. The only trainer node SIGKILLed while it trains the supernet, once the shard has snapshotted: the driver hands
        //    the round it held out again once the cluster has removed the node. Nothing trains now: the journal stands still.
        await Until(async () => (await SnapshotManifests(shardId)).Count > 0, "the supernet shard snapshotted");
        c.Process.KillHard();
        string? lostLine = null;
        await Until(() => Task.FromResult((lostLine = _cluster.LogLines(a).Concat(_cluster.LogLines(b))
            .FirstOrDefault(l => l.Contains("supernet worker") && l.Contains($":{c.Port}/") && l.Contains("left holding round"))) is not null),
            "the round node c held handed out again");
        var lostRound = int.Parse(Regex.Match(lostLine!, @"left holding round (\d+)").Groups[1].Value);
        await _cluster.UntilRemoved(c, survivor: a);
        var atRest = await ShardUpdates();
        Assert.DoesNotContain(await SearchManifests(), m => m.StartsWith("subnets-ranked")); // phase 1 was still running
        Assert.InRange(atRest.Count(u => u.Block == "head"), 1, Rounds - 1);
        // At most the round in hand was lost: every round handed out before it is in the journal once.
        Assert.All(atRest.GroupBy(u => (u.Block, u.Round)), g => Assert.Single(g));

        // 2. Every node SIGKILLed in phase 1 (node c already is) and started again: the search resumes by itself, its
        //    supernet phases start again with no command, and the shard serves exactly the versions its journal holds.
        var journaledAtRest = Versions(atRest);
        var logged = new[] { a, b }.ToDictionary(n => n, n => Math.Max(0, _cluster.LogLines(n).Length - 1));
        foreach (var node in new[] { a, b, w }) node.Process.KillHard();
        await Task.WhenAll(_cluster.StartAsync(a, seeds, 0), _cluster.StartAsync(b, seeds, 0), _cluster.StartAsync(w, seeds, 0));
        string? restored = null;
        await Until(() => Task.FromResult((restored = new[] { a, b }.SelectMany(n => _cluster.LogLines(n).Skip(logged[n]))
            .FirstOrDefault(l => l.Contains($"{shardId}: serving on this node"))) is not null), "the shard serving again after every node restarted");
        Assert.EndsWith($"at versions {journaledAtRest}", restored!.TrimEnd());
        Assert.Contains(new[] { a, b }.SelectMany(n => _cluster.LogLines(n).Skip(logged[n])), l => l.Contains($"search {searchId}: supernet phases started"));
        Assert.Equal(atRest.Count, (await ShardUpdates()).Count);
        Assert.DoesNotContain(await SearchManifests(), m => m.StartsWith("subnets-ranked"));

        // 3. The node hosting the shard SIGKILLed: once a new trainer node asks for work, the shard restores on the other
        //    coordinator node and serves exactly the versions its journal holds.
        var host = new[] { a, b }.Select(n => (Node: n, Last: _cluster.LogLines(n).LastOrDefault(l => l.Contains($"{shardId}: serving on this node"))))
            .Where(x => x.Last is not null).OrderBy(x => x.Last!.Split(' ')[0], StringComparer.Ordinal).Select(x => x.Node).Last();
        var survivor = host == a ? b : a;
        var survivorLogged = Math.Max(0, _cluster.LogLines(survivor).Length - 1);
        host.Process.KillHard();
        var journaled = await ShardUpdates();
        Assert.Equal(atRest.Count, journaled.Count);
        await _cluster.UntilRemoved(host, survivor);
        await _cluster.StartAsync(new ClusterNode("d", "trainer"), $"127.0.0.1:{survivor.Port}", 1);
        string? served = null;
        await Until(() => Task.FromResult((served = _cluster.LogLines(survivor).Skip(survivorLogged).FirstOrDefault(l => l.Contains($"{shardId}: serving on this node"))) is not null),
            "the shard serving on the surviving coordinator node");
        Assert.EndsWith($"at versions {Versions(journaled)}", served!.TrimEnd());

        // 4. The search finishes: every round reached the head once (the lost one too), no block took a round twice.
        await Until(async () => (await SearchManifests()).Any(m => m.StartsWith("search-finished")), "the search finished");
        var updates = await ShardUpdates();
        Assert.Equal(Enumerable.Range(0, Rounds), updates.Where(u => u.Block == "head").Select(u => u.Round).Order());
        Assert.All(updates.GroupBy(u => (u.Block, u.Round)), g => Assert.Single(g));
        Assert.Single(updates, u => u.Block == "head" && u.Round == lostRound);
        var search = await SearchManifests();
        Assert.Single(search, m => m == "subnets-ranked.v1");
        Assert.Equal(2, search.Count(m => m.StartsWith("trial-completed")));
    }

    private sealed record Update(string Block, long Version, int Round);

    /// <summary>The latest version of each block, as the shard logs them when it starts serving ("head=12 …").</summary>
    private static string Versions(IEnumerable<Update> updates) =>
        string.Join(" ", updates.GroupBy(u => u.Block).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Max(u => u.Version)}"));

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

    private async Task<IReadOnlyList<(string Manifest, string Json)>> Query(string sql, string persistenceId) =>
        (await _cluster.Query(sql, ("id", persistenceId))).Select(r => (r[0], r[1])).ToArray();

    private static Task Until(Func<Task<bool>> condition, string what) => LoopbackCluster.Until(condition, what);

    public void Dispose() => _cluster.Dispose();
}
