using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace NasActors.Node.Tests.Deployment;

/// <summary>
/// deploy/slurm/nas.sbatch for real on the one-host Slurm cluster: three `nas node` tasks (the CLI's build
/// output) on a PostgreSQL journal, a search the first one-minute allocation cannot finish, Slurm's drain
/// signal before the limit, and the allocation the script chained (afterany) finishing the search with no
/// further command. The journal then holds exactly one completion per trial, the budget, and the trials
/// running at the drain handed back as preempted — none failed, no lease left to expire.
/// </summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmBatchScriptTests : IDisposable
{
    // Fake training (NAS_FAULTS=fake): each trial waits 2 to 4 s (3 s on average, drawn from its seed) in 12 epochs,
    // whatever the machine's load. The drain stops a trial at its next epoch boundary, so one in its last epoch completes
    // instead. Trials of one fixed length kept the three trainers in step, all in their last epoch or between trials
    // together, and a CI run saw a drain meet no running trial; drawn lengths let them drift apart. With one
    // trainer per node, the first allocation (drained at most 115 s after its start) has room for at most ~110 trials;
    // the second one (4 minutes, ended by the test once the search is over) finishes the rest.
    private const int Budget = 120;
    private const string FakeTraining = "fake:2s..4s";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private readonly string _folder = Directory.CreateTempSubdirectory("nas-sbatch-").FullName;
    private readonly PostgresServer _postgres = new();
    private readonly SlurmJournal _journal;

    public SlurmBatchScriptTests() => _journal = new SlurmJournal(_postgres.ConnectionString);

    private string Shared => Path.Combine(_folder, "shared");

    [Fact]
    public async Task Two_chained_allocations_finish_a_search_with_every_trial_accounted_for()
    {
        var connection = Path.Combine(_folder, "connection");
        await File.WriteAllTextAsync(connection, _postgres.ConnectionString);
        var spec = Path.Combine(_folder, "slurm.yaml");
        await File.WriteAllTextAsync(spec, Spec());
        var port = FreePort();
        var adminPort = FreePort();

        // The first allocation's options are on the command line; the chained one has the same size, inherits the
        // SBATCH_* variables (the script's own #SBATCH lines ask for 4 hours and a 2-minute signal) and gets NAS_TIME.
        // Slurm signals up to 30 s early (it checks limits every 30 s): the drain comes 85 to 115 s into the allocation,
        // late enough for the nodes to be up and training on a loaded 2-core machine.
        var running = SlurmCluster.SubmitAndWait(_folder,
        [
            "--export=ALL," + string.Join(',',
                $"NAS={NasBuild.Program}", $"NAS_SHARED={Shared}", $"NAS_CONFIG={Path.Combine(RepositoryRoot.Path, "cluster-config")}",
                $"NAS_CONNECTION_FILE={connection}", $"NAS_PORT={port}", $"NAS_ADMIN_PORT={adminPort}", "NAS_TRAINERS=1",
                "NAS_DRAIN_BEFORE=4s", "NAS_ALLOCATIONS_LEFT=2", "NAS_TIME=4", $"NAS_FAULTS={FakeTraining}",
                "SBATCH_SIGNAL=B:USR1@5"),
            "--nodes=1", "--ntasks=3", "--ntasks-per-node=3", "--time=2", "--signal=B:USR1@5",
            Path.Combine(RepositoryRoot.Path, "deploy", "slurm", "nas.sbatch"), spec
        ]);
        var next = await HoldNextJob(running);
        var first = await running;
        try
        {
            var output = File.ReadAllText(Path.Combine(_folder, "job.out"));
            Assert.True(first.ExitCode == 0, first + output);
            Assert.True(next is not null, "the script chained no next allocation\n" + output);
            // Three nodes on one host, each on its own port (NAS_PORT + SLURM_LOCALID); Slurm's signal drained them all.
            Assert.Equal([port, port + 1, port + 2], NodePorts(output, " up: "));
            Assert.Contains("drain signal", output);
            Assert.Equal([port, port + 1, port + 2], NodePorts(output, " trainer(s) drained; leaving the cluster"));

            var drained = await _journal.Events();
            var summary = string.Join(", ", drained.GroupBy(e => e.Manifest).Select(g => $"{g.Key} ×{g.Count()}")) + "\n" + output;
            Assert.False(drained.Any(e => e.Manifest.StartsWith("search-finished")), "the first allocation finished the search: " + summary);
            var preempted = drained.Where(e => e.IsPreemptedHandBack).Select(e => e.TrialId).ToArray();
            Assert.True(preempted.Length > 0, "no trial was running at the drain: " + summary);
            // Every trial leased in the first allocation ended there, completed or handed back. A lease answering a work
            // request that arrived after its trainer's node had left would reach nobody and could only expire: the
            // coordinator gives no lease to a trainer on a leaving node and revokes those such a node still holds.
            var leftLeased = drained.Where(e => e.Manifest.StartsWith("trial-leased")).Select(e => e.TrialId).Distinct()
                .Where(trial => drained.Last(e => e.TrialId == trial && e.Manifest.StartsWith("trial-") && !e.Manifest.StartsWith("trial-proposed"))
                    is not { } last || !(last.Manifest.StartsWith("trial-completed") || last.Manifest.StartsWith("trial-handed-back")))
                .ToArray();
            Assert.True(leftLeased.Length == 0, $"trials {string.Join(", ", leftLeased)} were left leased by the drained allocation: " + summary);
            var released = await Shell.Run("scontrol", ["release", next!], _folder, TimeSpan.FromMinutes(1));
            Assert.True(released.ExitCode == 0, "scontrol release: " + released);

            // The chained allocation resumes the search by itself.
            await Until(async () => (await _journal.Events()).Any(e => e.Manifest.StartsWith("search-finished")),
                () => File.Exists(Path.Combine(_folder, $"nas-{next}.out")) ? File.ReadAllText(Path.Combine(_folder, $"nas-{next}.out")) : $"job {next} wrote nothing");
            var events = await _journal.Events();
            var completed = events.Where(e => e.Manifest.StartsWith("trial-completed")).Select(e => e.TrialId).ToArray();
            Assert.Equal(Budget, completed.Length);
            Assert.Equal(completed.Length, completed.Distinct().Count());
            Assert.DoesNotContain(events, e => e.Manifest.StartsWith("trial-failed") || e.Manifest.StartsWith("trial-quarantined")
                                               || e.Manifest.StartsWith("trial-lease-expired"));
            Assert.All(events.Where(e => e.Manifest.StartsWith("trial-leased")), lease => Assert.Contains(lease.TrialId, completed));
            Assert.All(preempted, trial => Assert.Contains(trial, completed));
            Assert.Single(events.Select(e => e.PersistenceId).Where(id => id.StartsWith("search-slurm")).Distinct());
        }
        finally
        {
            if (next is not null) await Cancel(next);
        }
    }

    /// <summary>
    /// Holds the allocation the script chains as soon as it is submitted (the script does so first), while the first one runs:
    /// `sbatch --wait` notices the end of a job seconds late, and a chained allocation started meanwhile would write to the
    /// journal the test reads as the first allocation's (a CI run saw the second allocation's leases there). Released once
    /// that journal is checked. Null when the first allocation ended without chaining one.
    /// </summary>
    private async Task<string?> HoldNextJob(Task<Shell.Result> first)
    {
        string? next;
        while ((next = NextJob()) is null)
        {
            if (first.IsCompleted) return NextJob();
            await Task.Delay(200);
        }
        var held = await Shell.Run("scontrol", ["hold", next], _folder, TimeSpan.FromMinutes(1));
        Assert.True(held.ExitCode == 0, "scontrol hold: " + held);
        return next;
    }

    /// <summary>The job id of the allocation the script chained ("Submitted batch job N" in next-job), if any.</summary>
    private string? NextJob()
    {
        var file = Path.Combine(Shared, "next-job");
        return File.Exists(file) && File.ReadAllText(file) is var text && text.StartsWith("Submitted batch job ")
            ? text.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1].Trim()
            : null;
    }

    /// <summary>Ends the chained allocation (its nodes drain on scancel's SIGTERM) so that nothing outlives the test.</summary>
    private async Task Cancel(string job)
    {
        File.WriteAllText(Path.Combine(Shared, "stop"), "");
        await Shell.Run("scancel", [job], _folder, TimeSpan.FromMinutes(1));
        await Until(async () => (await Shell.Run("squeue", ["-h", "-j", job], _folder, TimeSpan.FromMinutes(1))).Output.Trim().Length == 0);
    }

    /// <summary>The remoting ports of the nodes that printed a line containing <paramref name="marker"/>.</summary>
    private static int[] NodePorts(string output, string marker) =>
        output.Split('\n').Where(line => line.Contains(marker))
            .Select(line => int.Parse(Regex.Match(line, @"^node akka[.a-z]*://nas@[^:]+:(\d+)").Groups[1].Value)).Order().ToArray();

    private static string Spec() => $"""
        name: slurm
        seed: 5
        space:
          type: mlp
          depth: [1, 2]
          widths: [16, 32, 64]
          activations: [relu, tanh]
          dropout: [0.0, 0.1]
        dataset:
          path: {Path.Combine(RepositoryRoot.Path, "data", "datasets", "sklearn", "digits.csv.gz")}
        training:
          epochs: 12
          batch_size: 32
        strategy:
          name: random
        budget:
          trials: {Budget}
        execution:
          lease_seconds: 30
        """;

    private static async Task Until(Func<Task<bool>> condition, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not there within {Patience}\n{context?.Invoke()}");
            await Task.Delay(500);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _postgres.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
