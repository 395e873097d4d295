namespace NasActors.Cli.Tests;

/// <summary>One writer per store, readers beside it: two real `nas` processes on one store.</summary>
public class StoreWriterTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_second_writer_is_refused_at_once_naming_the_holder_while_status_reads_the_running_search()
    {
        using var temp = new TempFolder();
        var spec = temp.Write("tiny.yaml", TinySpecs.Digits(trials: 6, epochs: 300, strategy: "random"));
        using var first = NasProcess.Start(temp.Path, "run", spec);
        await first.WaitForLineAsync(l => l.StartsWith("started search"), Generous);
        var searchId = first.Output.Split("started search ")[1].Split(':')[0].Trim();

        var second = await NasProcess.RunToEndAsync(temp.Path, Generous, "run", spec);
        Assert.True(second.ExitCode == 3, second.Output);
        var error = Assert.Single(second.ErrorLines);
        Assert.Contains($"in use by PID {first.Pid} on {Environment.MachineName} since ", error);
        Assert.Contains("'nas node'/'nas worker' on a shared PostgreSQL store", error);
        Assert.DoesNotContain("started search", second.Output);
        Assert.DoesNotContain("resuming search", second.Output);

        var resume = await NasProcess.RunToEndAsync(temp.Path, Generous, "resume", searchId);
        Assert.Equal(3, resume.ExitCode);

        var status = await NasProcess.RunToEndAsync(temp.Path, Generous, "status", searchId);
        Assert.True(status.ExitCode == 0, status.Output);
        Assert.Contains(searchId, status.Output);
        Assert.Contains("Running", status.Output);
        Assert.Contains("/6", status.Output);

        first.Signal("TERM");
        Assert.Equal(130, await first.WaitForExitAsync(Generous));
    }
}
