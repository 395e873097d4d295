namespace NasActors.Node.Tests.Deployment;

/// <summary>
/// docker-compose.yml is checked with Debian's docker-compose (`config` needs no Docker engine;
/// .ci/run installs it).
/// </summary>
public sealed class DockerComposeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_compose_file_is_valid()
    {
        var result = await Shell.Run("docker-compose", ["config", "-q"], RepositoryRoot.Path, Timeout);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task The_compose_file_runs_postgres_a_coordinator_and_scalable_trainers()
    {
        var services = await Shell.Run("docker-compose", ["config", "--services"], RepositoryRoot.Path, Timeout);
        var config = await Shell.Run("docker-compose", ["config"], RepositoryRoot.Path, Timeout);

        Assert.Equal(["coordinator", "postgres", "trainer"], services.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
        var trainer = config.Output[config.Output.IndexOf("\n  trainer:", StringComparison.Ordinal)..];
        // --scale trainer=N needs a service without a fixed container name or host port.
        Assert.DoesNotContain("container_name", trainer);
        Assert.DoesNotContain("ports:", trainer.Split("\nvolumes:")[0]);
        Assert.Contains("condition: service_healthy", config.Output);
        Assert.Contains("/artifacts", trainer);
        Assert.DoesNotContain("Password=", config.Output);
    }
}
