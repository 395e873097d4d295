namespace NasActors.Chaos.Tests;

/// <summary>Chaos d: a trial that kills the process on every attempt is quarantined after execution.max_attempts.</summary>
public class PoisonTrialTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_trial_that_kills_the_process_every_time_is_quarantined_after_max_attempts_and_the_budget_is_met()
    {
        const int budget = 10, poison = 7, maxAttempts = 3;
        var report = new ChaosReport(output, "d poison");
        // One trainer: a trial in flight beside the poison one would die with the process as often and be
        // quarantined too (the journal cannot tell which trial killed the process; docs/RELIABILITY.md, known limits).
        using var store = new ChaosStore(TinySpecs.Digits(trials: budget, trainers: 1, strategy: "random", execution: $"max_attempts: {maxAttempts}"), "fake:150ms,kill@7");
        report.Injected($"trial {poison} SIGKILLs the whole process on every attempt (kill@7); execution.max_attempts: {maxAttempts}; `nas run` rerun until it exits 0");

        var exits = new List<int>();
        string text = "";
        while (exits.Count < maxAttempts + 3 && exits.LastOrDefault(-1) != 0)
        {
            int code;
            (code, text) = await store.RunToEndAsync();
            exits.Add(code);
        }

        Assert.True(exits[^1] == 0, $"exit codes {string.Join(',', exits)}; last output:\n{text}");
        Assert.Equal(maxAttempts, exits.Count(c => c != 0));
        var ledger = store.Ledger();
        ledger.AssertExactAccounting(budget);
        var terminal = ledger.TerminalOf(poison);
        Assert.DoesNotContain("trial-completed", terminal.Manifest);
        Assert.Contains("quarantin", terminal.Payload.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(maxAttempts, ledger.LeasesOf(poison));
        Assert.Equal(poison, Assert.Single(ledger.Of("trial-quarantined")).TrialId);
        Assert.Empty(ledger.Failed);
        var attempts = File.ReadAllLines(Path.Combine(store.SearchDirectory, "faults", $"trial-{poison}.attempts")).Length;
        Assert.Equal(maxAttempts, attempts);
        report.Verified($"exit codes {string.Join(',', exits)}; trial {poison} ended {terminal.Manifest} after {attempts} attempts " +
                        $"({ledger.LeasesOf(poison)} leases), reason \"{ledger.ReasonOf(poison)}\"; budget {budget} met by the other trials");
    }
}
