namespace NasActors.Node.Tests.Deployment;

/// <summary>
/// The one-host Slurm cluster of tests/slurm, started once for the tests of the "slurm" collection (as root,
/// with slurm-wlm and munge installed; .ci/run installs them) and stopped after them.
/// </summary>
public sealed class SlurmCluster : IAsyncLifetime
{
    public static readonly string Scripts = Path.Combine(RepositoryRoot.Path, "tests", "slurm");

    public async Task InitializeAsync()
    {
        var started = await Shell.Run("bash", [Path.Combine(Scripts, "start-slurm.sh")], Scripts, TimeSpan.FromMinutes(2));
        Assert.True(started.ExitCode == 0, started.ToString());
    }

    public async Task DisposeAsync() =>
        await Shell.Run("bash", [Path.Combine(Scripts, "stop-slurm.sh")], Scripts, TimeSpan.FromMinutes(1));

    /// <summary>Submits a batch script and waits for it to end (sbatch --wait).</summary>
    public static Task<Shell.Result> SubmitAndWait(string folder, IEnumerable<string> sbatchArguments) =>
        Shell.Run("sbatch", ["--wait", $"--output={Path.Combine(folder, "job.out")}", .. sbatchArguments], folder, TimeSpan.FromMinutes(4));
}

[CollectionDefinition(Name)]
public sealed class SlurmCollection : ICollectionFixture<SlurmCluster>
{
    public const string Name = "slurm";
}
