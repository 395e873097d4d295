using System.Text.RegularExpressions;
using NasActors.Node.Tests;

namespace NasActors.Cli.Tests;

/// <summary>
/// `nas admin` against three real `nas node` processes on loopback sharing a throwaway PostgreSQL journal: every
/// palette command, pbm's line shapes for `cluster show` and `cluster-sharding region-stats`, unknown ids (exit 2), an
/// unreachable endpoint (exit 4), a token-guarded endpoint on a non-loopback bind (exit 5 without the token), an
/// unreachable member downed, a live one downed, and members made to leave (by address, and the answering node itself).
/// </summary>
public sealed class AdminProcessTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private static readonly Regex MemberLine = new(@"^akka\.tcp://nas@127\.0\.0\.1:\d+ \| \[[a-z,]+\] \| (joining|up|leaving|exiting|down|removed) \|( unreachable)?$");
    // pbm: "akka.tcp://svc@10.0.0.1:2552 | [service] | up |  | 1.0.0 [coordinator](user) | shards: 1 | entities: 47"
    private static readonly Regex RegionLine = new(@"^akka\.tcp://nas@127\.0\.0\.1:\d+ \| \[[a-z,]+\] \| up \|  \| \d+\.\d+\.\d+( \[coordinator\]\(search\))? \| shards: \d+ \| entities: \d+$");
    private readonly LoopbackCluster _cluster = new();
    private int _admin;

    /// <summary>Starts a node with one trainer (none: <paramref name="trainers"/>) and waits until it is up (started only, when <paramref name="alone"/>).</summary>
    private Task<ClusterNode> StartAsync(ClusterNode node, string seeds, Dictionary<string, string>? environment = null, int trainers = 1, bool alone = false) =>
        _cluster.StartAsync(node, seeds, trainers, new Dictionary<string, string>(environment ?? [])
        {
            // Unreachable within seconds, and the split-brain resolver waits longer than the test does.
            ["NAS__Cluster__AcceptableHeartbeatPause"] = "6s",
            ["NAS__Cluster__StableAfter"] = "5m"
        }, alone);

    private const string Token = "s3cret-admin-token";

    /// <summary>`nas admin` with the token in its environment, as an operator of the token-guarded node runs it.</summary>
    private async Task<NasResult> AdminWithToken(int port, params string[] args)
    {
        using var nas = NasProcess.Start(_cluster.Folder.Path, new Dictionary<string, string> { ["NAS__Admin__Token"] = Token }, ["admin", $"127.0.0.1:{port}", .. args]);
        return new NasResult(await nas.WaitForExitAsync(Patience), nas.Output, nas.ErrorLines);
    }

    private Task<NasResult> Admin(params string[] args) => NasProcess.RunToEndAsync(_cluster.Folder.Path, Patience, ["admin", $"127.0.0.1:{_admin}", .. args]);

    private static string[] Lines(NasResult result) =>
        result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private async Task<NasResult> Ok(params string[] args)
    {
        var result = await Admin(args);
        Assert.True(result.ExitCode == 0, $"nas admin {string.Join(' ', args)} exited {result.ExitCode}:\n{result.Output}");
        return result;
    }

    [Fact]
    public async Task The_palette_operates_a_three_node_cluster()
    {
        var (a, b, c) = (new ClusterNode("a", "coordinator,trainer"), new ClusterNode("b", "trainer"), new ClusterNode("c", "trainer"));
        var (seed, adminC) = (a.Port, c.AdminPort);
        var seeds = $"127.0.0.1:{seed}";
        _admin = a.AdminPort;
        // All three start at once (B retries its seed until A is up). C's only seed is a port nobody listens at, so it
        // waits outside any cluster until an operator joins it (`cluster join`, below).
        await Task.WhenAll(StartAsync(a, seeds), StartAsync(b, seeds),
            StartAsync(c, $"127.0.0.1:{FreePort()}", new() { ["NAS__Admin__Host"] = "0.0.0.0", ["NAS__Admin__Token"] = Token }, alone: true));
        var addressB = $"akka.tcp://nas@127.0.0.1:{b.Port}";
        var addressC = $"akka.tcp://nas@127.0.0.1:{c.Port}";

        // cluster join, asked of the lone node: refused without the token (non-loopback bind), then it joins A's cluster.
        await Until(async () => (await Ok("cluster", "show")).Output.Contains("Count: 2 nodes"));
        Assert.DoesNotContain(addressC, (await Ok("cluster", "show")).Output);
        var joinWithoutToken = await NasProcess.RunToEndAsync(_cluster.Folder.Path, Patience, "admin", $"127.0.0.1:{adminC}", "cluster", "join", $"akka.tcp://nas@127.0.0.1:{seed}");
        Assert.Equal(5, joinWithoutToken.ExitCode);
        Assert.Equal(2, (await AdminWithToken(adminC, "cluster", "join", "not-an-address")).ExitCode);
        var join = await AdminWithToken(adminC, "cluster", "join", $"akka.tcp://nas@127.0.0.1:{seed}");
        Assert.True(join.ExitCode == 0, join.Output);

        // cluster show: pbm's line per member, then the count.
        await Until(async () => (await Ok("cluster", "show")).Output.Contains("Count: 3 nodes") && !(await Ok("cluster", "show")).Output.Contains("joining"));
        Assert.Contains($"{addressC} | [trainer] | up |", (await Ok("cluster", "show")).Output);
        var show = Lines(await Ok("cluster", "show"));
        Assert.Equal("Count: 3 nodes", show[^1]);
        Assert.All(show[..^1], line => Assert.Matches(MemberLine, line));
        Assert.Contains(show, l => l.StartsWith($"akka.tcp://nas@127.0.0.1:{seed} | [coordinator,trainer] | up |"));
        Assert.Equal([$"akka.tcp://nas@127.0.0.1:{seed} | [coordinator,trainer] | up |", "Count: 1 nodes"], Lines(await Ok("cluster", "show", "-r", "coordinator")));
        Assert.Matches(@"^akka\.tcp://nas@127\.0\.0\.1:\d+$", Lines(await Ok("cluster", "leader"))[0]);
        Assert.StartsWith($"akka.tcp://nas@127.0.0.1:{seed} |", Lines(await Ok("cluster", "status"))[0]);
        Assert.Contains("\"status\": \"up\"", (await Ok("cluster", "show", "--json")).Output);

        // A search: show, pause (visible), budget and priority (journaled), resume.
        var spec = _cluster.Folder.Write("tiny.yaml", TinySpecs.Digits(trials: 6, epochs: 60));
        var submit = await NasProcess.RunToEndAsync(_cluster.Folder.Path, Patience, "submit", spec, "--cluster", $"127.0.0.1:{_admin}");
        Assert.True(submit.ExitCode == 0, submit.Output);
        var id = Lines(new NasResult(0, submit.Output, [])).Last(l => l.StartsWith("tiny-"));
        Assert.Contains($"{id} | running |", (await Ok("search", "show", id)).Output);
        Assert.Contains($"{id} | running |", (await Ok("search", "list")).Output);
        Assert.Contains($"{id} | paused |", (await Ok("search", "pause", id)).Output);
        Assert.Contains($"{id} | paused |", (await Ok("search", "show", id)).Output);
        // A budget the search cannot reach before the test ends: it is still running when it is cancelled below.
        Assert.Contains("/200 completed", (await Ok("search", "budget", id, "200")).Output);
        Assert.Contains("| priority 2 |", (await Ok("search", "priority", id, "2")).Output);
        var tooSmall = await Admin("search", "budget", id, "0");
        Assert.Equal(2, tooSmall.ExitCode);
        // Enqueue (journaled): one of the space's architectures is taken; text that is not one is refused, naming it.
        var architecture = NasActors.Core.Specs.SearchDefinition.Load(NasActors.Core.Specs.SpecReader.ReadFile(spec)).Space
            .Sample(new NasActors.Core.Randomness.SeededRandom(17)).Canonical;
        Assert.Contains($"{id} | paused |", (await Ok("search", "enqueue", id, architecture)).Output);
        var foreign = await Admin("search", "enqueue", id, "depth=9");
        Assert.Equal(5, foreign.ExitCode);
        Assert.Contains("'depth=9' is not an architecture of search", foreign.Output);

        // The prompt (no command): commands read line by line from stdin; a failing command prints its error and the
        // session goes on to the next line; `exit` ends it.
        using (var prompt = NasProcess.StartWithInput(_cluster.Folder.Path, "cluster show\nsearch show no-such-search\ncluster frobnicate\n\nsearch list\nexit\ncluster leader\n",
                   "admin", $"127.0.0.1:{_admin}"))
        {
            Assert.Equal(0, await prompt.WaitForExitAsync(Patience));
            var said = Lines(new NasResult(0, prompt.Output, []));
            Assert.Equal(2, prompt.ErrorLines.Count(l => l.StartsWith("error: ")));
            Assert.Contains("no-such-search", prompt.ErrorLines.First(l => l.StartsWith("error: ")));
            Assert.True(said.Where(l => l.StartsWith("Count:")).SequenceEqual(["Count: 3 nodes", "Count: 1 searches"]), prompt.Output); // both ran, in order
            Assert.Contains(said, l => l.StartsWith($"{id} | paused |"));
            Assert.DoesNotContain(said, l => Regex.IsMatch(l, @"^akka\.tcp://[^ ]+$")); // nothing after `exit` ran (cluster leader)
            Assert.DoesNotContain(said, l => l.Contains("> ")); // no prompt when stdin is not a terminal
        }

        // Trainers: one per node; quarantine one while the search is paused (it holds no trial), then release it.
        await Until(async () => (await Ok("trainer", "list")).Output.Contains("Count: 3 trainers"));
        var trainers = Lines(await Ok("trainer", "list"));
        Assert.All(trainers[..^1], l => Assert.Matches(@"^\S+ \| akka\.tcp://nas@127\.0\.0\.1:\d+ \| cpu \| [a-z]+.* \| failures \d+ \(\d+ faults in a row\) \|$", l));
        var trainerB = trainers.First(l => l.Contains($"| {addressB} |")).Split(" | ")[0];
        await Until(async () => (await Ok("trainer", "list")).Output.Split('\n').Any(l => l.StartsWith(trainerB) && l.Contains("| idle |")));
        Assert.Contains("quarantined", (await Ok("trainer", "quarantine", trainerB)).Output);
        Assert.Contains(Lines(await Ok("trainer", "list")), l => l.StartsWith(trainerB) && l.Contains("| quarantined until released: quarantined by admin"));
        Assert.DoesNotContain("quarantined", (await Ok("trainer", "quarantine", trainerB, "--release")).Output);
        Assert.Contains($"{id} | running |", (await Ok("search", "resume", id)).Output);

        // Sharding: the search entity lives on the coordinator.
        Assert.Contains("search", Lines(await Ok("cluster-sharding", "regions")));
        await Until(async () => (await Ok("cluster-sharding", "region-stats", "-r", "search")).Output.Contains("entities: 1"));
        var stats = Lines(await Ok("cluster-sharding", "region-stats", "-r", "search"));
        Assert.All(stats, l => Assert.Matches(RegionLine, l));
        Assert.StartsWith($"akka.tcp://nas@127.0.0.1:{seed} | [coordinator,trainer] | up |  | ", Assert.Single(stats, l => l.Contains("[coordinator](search)")));

        // The node's own view: actors and recent log lines (the audit of the quarantine among them).
        Assert.Contains("/user/trainers/roster/trainer-0", (await Ok("actor", "hierarchy", "-d", "3")).Output);
        Assert.Contains($"quarantine {trainerB}", (await Ok("log", "tail", "-n", "200")).Output);

        // Unknown ids and bad arguments: usage errors, one line.
        Assert.Equal(2, (await Admin("search", "show", "no-such-search")).ExitCode);
        Assert.Equal(2, (await Admin("trainer", "quarantine", "no-such-trainer")).ExitCode);
        Assert.Equal(2, (await Admin("cluster", "down", "akka.tcp://nas@127.0.0.1:1")).ExitCode);
        Assert.Equal(2, (await Admin("cluster-sharding", "region-stats", "-r", "nothing")).ExitCode);

        // An endpoint nobody listens at: a connection error.
        var unreachable = await NasProcess.RunToEndAsync(_cluster.Folder.Path, Patience, "admin", $"127.0.0.1:{FreePort()}", "cluster", "show");
        Assert.Equal(4, unreachable.ExitCode);
        Assert.Contains("cannot reach", unreachable.Output);

        // Off loopback the endpoint needs the token: refused without it, answered with it.
        var refused = await NasProcess.RunToEndAsync(_cluster.Folder.Path, Patience, "admin", $"127.0.0.1:{adminC}", "cluster", "show");
        Assert.Equal(5, refused.ExitCode);
        Assert.DoesNotContain("s3cret", refused.Output);
        var withToken = await AdminWithToken(adminC, "cluster", "show");
        Assert.Equal(0, withToken.ExitCode);
        Assert.Contains("Count: 3 nodes", withToken.Output);


        // A cancelled search refuses a new budget: the cluster's state says no.
        Assert.Contains($"{id} | cancelled |", (await Ok("search", "cancel", id)).Output);
        var refusedBudget = await Admin("search", "budget", id, "20");
        Assert.Equal(5, refusedBudget.ExitCode);
        Assert.Contains("cancelled", refusedBudget.Output);

        // Drain a node's trainers by its address.
        Assert.Contains("Count: 1 trainers draining", (await Ok("trainer", "drain", addressB)).Output);

        // Drain one trainer by its id (C's: its node is killed next).
        var trainerC = Lines(await Ok("trainer", "list")).First(l => l.Contains($"| {addressC} |")).Split(" | ")[0];
        Assert.Contains("Count: 1 trainers draining", (await Ok("trainer", "drain", trainerC)).Output);

        // A dead member shows unreachable and is downed; another is made to leave.
        c.Process.KillHard();
        await Until(async () => (await Ok("cluster", "show")).Output.Contains($"{addressC} | [trainer] | up | unreachable"));
        await Ok("cluster", "down-unreachable");
        await Until(async () => (await Ok("cluster", "show")).Output.Contains("Count: 2 nodes"));
        await Ok("cluster", "leave", addressB);
        Assert.Equal(0, await b.Process.WaitForExitAsync(Patience));
        await Until(async () => (await Ok("cluster", "show")).Output.Contains("Count: 1 nodes"));

        // Two more members join: an operator downs one by its address, and tells the other to leave without an address
        // (asked of that node itself, the answering node leaves). Both are removed.
        var (d, e) = (new ClusterNode("d", "trainer"), new ClusterNode("e", "trainer"));
        await Task.WhenAll(StartAsync(d, seeds, trainers: 0), StartAsync(e, seeds, trainers: 0));
        var (addressD, addressE) = ($"akka.tcp://nas@127.0.0.1:{d.Port}", $"akka.tcp://nas@127.0.0.1:{e.Port}");
        await Until(async () => (await Ok("cluster", "show")).Output is var members
                                && members.Contains($"{addressD} | [trainer] | up |") && members.Contains($"{addressE} | [trainer] | up |"));
        await Ok("cluster", "down", addressD);
        var leave = await NasProcess.RunToEndAsync(_cluster.Folder.Path, Patience, "admin", e.Admin, "cluster", "leave");
        Assert.True(leave.ExitCode == 0, leave.Output);
        Assert.Equal($"leave {addressE}: requested", Lines(leave)[0]);
        Assert.Equal(0, await e.Process.WaitForExitAsync(Patience));
        await Until(async () => (await Ok("cluster", "show")).Output.Contains("Count: 1 nodes"));
    }

    private static Task Until(Func<Task<bool>> condition) => LoopbackCluster.Until(condition, "the cluster's state the palette waits for");

    private static int FreePort() => LoopbackCluster.FreePort();

    public void Dispose() => _cluster.Dispose();
}
