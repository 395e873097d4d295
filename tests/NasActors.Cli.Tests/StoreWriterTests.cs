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

/// <summary>What nobody foresaw: one line on the terminal, the whole exception in the store's log.</summary>
public class UnexpectedFailureTests
{
    [Fact]
    public async Task An_unexpected_failure_prints_one_line_exits_1_and_logs_the_full_exception()
    {
        using var temp = new TempFolder();
        var spec = temp.Write("tiny.yaml", TinySpecs.Digits(trials: 2, epochs: 1, strategy: "random"));
        // A folder where the lock file should be: opening it fails in a way no user mistake explains.
        Directory.CreateDirectory(Path.Combine(temp.Path, ".nas", "lock"));

        var result = await NasProcess.RunToEndAsync(temp.Path, TimeSpan.FromMinutes(2), "run", spec);

        Assert.True(result.ExitCode == 1, result.Output);
        var log = Path.Combine(temp.Path, ".nas", "logs", "node.log");
        var error = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: nas run failed: cannot open the store lock", error);
        Assert.EndsWith($"(full log: {log})", error);
        Assert.DoesNotContain("   at ", result.Output);
        var logged = File.ReadAllText(log);
        Assert.Contains("IOException", logged);
        Assert.Contains("   at NasActors.Node.Storage.StoreLock", logged);
    }
}
