namespace NasActors.Chaos.Tests;

/// <summary>Chaos b: an evaluator that reports NaN — the trial fails with a reason naming NaN, the search goes on.</summary>
public class NanResultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Trials_reporting_NaN_fail_with_a_reason_naming_NaN_and_the_search_completes()
    {
        const int budget = 8;
        int[] poisoned = [3, 5];
        var report = new ChaosReport(output, "b nan");
        using var store = new ChaosStore(TinySpecs.Digits(trials: budget, strategy: "random"), "fake:100ms,nan@3,nan@5");
        report.Injected("NaN validation loss from trials 3 and 5 (NAS_FAULTS=fake:100ms,nan@3,nan@5)");

        var (code, text) = await store.RunToEndAsync();

        Assert.True(code == 0, text);
        var ledger = store.Ledger();
        ledger.AssertExactAccounting(budget);
        foreach (var id in poisoned)
        {
            Assert.StartsWith("trial-failed.", ledger.TerminalOf(id).Manifest);
            Assert.Contains("NaN", ledger.ReasonOf(id));
        }
        Assert.Equal(poisoned, ledger.Failed.Select(e => e.TrialId).Order());
        report.Verified($"exit 0; trials 3 and 5 failed (\"{ledger.ReasonOf(3)}\"); {budget} other trials completed the budget");
    }
}
