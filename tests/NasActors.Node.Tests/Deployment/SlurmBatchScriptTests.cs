namespace NasActors.Node.Tests.Deployment;

/// <summary>
/// deploy/slurm/nas.sbatch on the one-host Slurm cluster, with tests/slurm/fake-nas.sh standing in for
/// `nas` (the cluster commands come later) and a site database: one node per task with the drain
/// options, the spec submitted once, the drain signal forwarded to every node, the next allocation chained.
/// </summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmBatchScriptTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nas-sbatch-").FullName;
    private string Shared => Path.Combine(_folder, "shared");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // The chained allocation: stop it so nothing outlives the test.
        var next = Path.Combine(Shared, "next-job");
        if (File.Exists(next) && File.ReadAllText(next).Split(' ', StringSplitOptions.RemoveEmptyEntries) is [.., var id])
        {
            await Shell.Run("scancel", [id.Trim()], _folder, TimeSpan.FromMinutes(1));
            for (var i = 0; i < 120 && (await Shell.Run("squeue", ["-h", "-j", id.Trim()], _folder, TimeSpan.FromMinutes(1))).Output.Trim().Length > 0; i++)
                await Task.Delay(500);
        }
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task The_batch_script_starts_a_node_per_task_drains_them_on_the_signal_and_chains_the_next_allocation()
    {
        var connection = Path.Combine(_folder, "connection");
        await File.WriteAllTextAsync(connection, "Host=site-db;Username=nas");
        var script = Path.Combine(RepositoryRoot.Path, "deploy", "slurm", "nas.sbatch");

        var job = await SlurmCluster.SubmitAndWait(_folder,
        [
            "--export=ALL," + string.Join(',',
                $"NAS={Path.Combine(SlurmCluster.Scripts, "fake-nas.sh")}", $"NAS_SHARED={Shared}",
                $"NAS_CONFIG={Path.Combine(RepositoryRoot.Path, "cluster-config")}", $"NAS_CONNECTION_FILE={connection}",
                "NAS_ALLOCATIONS_LEFT=2", "NAS_TIME=1"),
            "--nodes=1", "--ntasks=2", "--ntasks-per-node=2", "--time=1", "--signal=B:USR1@50", script, "spec.yaml"
        ]);

        var output = File.ReadAllText(Path.Combine(_folder, "job.out"));
        Assert.True(job.ExitCode == 0, job + output);
        Assert.Contains("drain signal", output);
        var nodes = File.ReadAllLines(Path.Combine(Shared, "nodes"));
        foreach (var rank in new[] { "0/2", "1/2" })
            Assert.Contains(nodes, line => line.StartsWith($"node {rank} ") && line.Contains("--store postgres") && line.Contains("--drain-before 2m")
                                                       && line.Contains("--admin-port 9110"));
        var drained = File.ReadAllLines(Path.Combine(Shared, "drained"));
        Assert.Contains("drained 0", drained);
        Assert.Contains("drained 1", drained);
        var submits = File.ReadAllLines(Path.Combine(Shared, "submits"));
        Assert.Single(submits);
        // The node's admin API (rank 0, beside the batch script on the first host), not its remoting port.
        Assert.Equal("submit spec.yaml --cluster 127.0.0.1:9110", submits[0]);
        Assert.StartsWith("Submitted batch job ", File.ReadAllText(Path.Combine(Shared, "next-job")));
    }
}
