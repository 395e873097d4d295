using System.Globalization;

namespace NasActors.Node.Tests.Deployment;

/// <summary>
/// The harness itself: `srun -n 2` runs two tasks and `--signal=B:USR1@50` reaches the batch shell
/// before the one-minute limit.
/// </summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmHarnessTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nas-slurm-job-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Srun_runs_every_task_and_the_drain_signal_arrives_before_the_time_limit()
    {
        var job = await SlurmCluster.SubmitAndWait(_folder, [Path.Combine(SlurmCluster.Scripts, "signal-job.sbatch"), _folder]);

        Assert.True(job.ExitCode == 0, job + File.ReadAllText(Path.Combine(_folder, "job.out")));
        var tasks = File.ReadAllLines(Path.Combine(_folder, "tasks"));
        Assert.Equal(2, tasks.Length);
        Assert.StartsWith("task 0 of 2 on ", tasks[0]);
        Assert.StartsWith("task 1 of 2 on ", tasks[1]);
        Assert.False(File.Exists(Path.Combine(_folder, "no-signal")));
        var started = long.Parse(File.ReadAllText(Path.Combine(_folder, "start")).Trim(), CultureInfo.InvariantCulture);
        var signal = File.ReadAllText(Path.Combine(_folder, "signal")).Split(' ');
        Assert.Equal("USR1", signal[0]);
        Assert.InRange(long.Parse(signal[1].Trim(), CultureInfo.InvariantCulture) - started, 0, 59);
    }
}
