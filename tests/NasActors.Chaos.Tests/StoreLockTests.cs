using System.Diagnostics;

namespace NasActors.Chaos.Tests;

/// <summary>Chaos f and g: a second `nas run` on a busy store is turned away; `nas status` reads it without disturbing the run.</summary>
public class StoreLockTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_second_run_on_the_same_store_exits_at_once_naming_the_holder_and_the_first_finishes_untouched()
    {
        const int budget = 20;
        var report = new ChaosReport(output, "f two runs");
        using var store = new ChaosStore(TinySpecs.Digits(trials: budget, strategy: "random"), "fake:1s");
        using var first = store.StartRun();
        await first.WaitUntilSearchingAsync();
        report.Injected($"a second `nas run` on the store while the first (pid {first.Pid}) is searching");

        var clock = Stopwatch.StartNew();
        var (code, text) = await store.RunToEndAsync();
        clock.Stop();

        Assert.NotEqual(0, code);
        Assert.False(first.HasExited, $"the second run waited for the first instead of leaving at once:\n{text}");
        Assert.Contains(first.Pid.ToString(), text);
        Assert.DoesNotContain("   at ", text);
        var refusal = text.Split('\n').First(l => l.Contains(first.Pid.ToString())).Trim();
        report.Verified($"the second run exited {code} after {clock.Elapsed.TotalSeconds:F1} s (process start included) while the first was running: \"{refusal}\"");

        Assert.Equal(0, await first.WaitForExitAsync(ChaosStore.Generous));
        store.Ledger().AssertExactAccounting(budget);
        Assert.DoesNotContain("UNIQUE constraint", store.NodeLogText());
        report.Verified($"the first run finished with exit 0, {budget}/{budget} trials exactly once, no \"UNIQUE constraint\" in node.log");
    }

    [Fact]
    public async Task Status_answers_while_a_run_is_going_and_the_run_is_undisturbed()
    {
        const int budget = 16;
        var report = new ChaosReport(output, "g status");
        using var store = new ChaosStore(TinySpecs.Digits(trials: budget, strategy: "random"), "fake:1s");
        using var run = store.StartRun();
        await run.WaitForProgressAsync(1);
        var id = store.SearchId();
        report.Injected($"`nas status {id}` twice while `nas run` is searching");

        var answers = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var clock = Stopwatch.StartNew();
            var (code, text) = await store.RunAsync("status", id);
            Assert.True(code == 0, text);
            Assert.Contains(id, text);
            Assert.DoesNotContain("   at ", text);
            answers.Add($"{clock.Elapsed.TotalSeconds:F1} s");
        }
        Assert.False(run.HasExited, "the run ended before status was asked: make the search longer");

        Assert.Equal(0, await run.WaitForExitAsync(ChaosStore.Generous));
        var ledger = store.Ledger();
        ledger.AssertExactAccounting(budget);
        Assert.Empty(ledger.Of("trial-lease-expired"));
        report.Verified($"status exited 0 with the search's id both times ({string.Join(", ", answers)}); the run finished with exit 0, " +
                        $"{budget}/{budget} trials exactly once, no lease expired");
    }
}
