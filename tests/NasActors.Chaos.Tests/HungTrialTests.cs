namespace NasActors.Chaos.Tests;

/// <summary>Chaos c: a trial that hangs and ignores cancellation (a stuck native call) is revoked and re-issued.</summary>
public class HungTrialTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_trial_hung_past_trial_timeout_is_revoked_and_the_search_completes_on_the_other_trainer()
    {
        const int budget = 20, hung = 2;
        var report = new ChaosReport(output, "c hang");
        using var store = new ChaosStore(TinySpecs.Digits(trials: budget, strategy: "random", execution: "trial_timeout: 3"), "fake:1s,hang-once@2");
        report.Injected("trial 2 blocks forever on its first attempt, ignoring cancellation (hang-once@2); execution.trial_timeout: 3 s");

        var (code, text) = await store.RunToEndAsync();

        Assert.True(code == 0, text);
        var ledger = store.Ledger();
        ledger.AssertExactAccounting(budget);
        var leases = ledger.Of("trial-leased").Where(e => e.TrialId == hung).ToArray();
        Assert.True(leases.Length >= 2, $"trial {hung} was leased {leases.Length} time(s), expected a re-issue");
        var wedged = Trainer(leases[0]);
        var completion = ledger.TerminalOf(hung);
        Assert.StartsWith("trial-completed.", completion.Manifest);
        Assert.NotEqual(wedged, Trainer(completion));
        // The hung call never returns: its trainer took no work after it (abandoning, then wedged after its grace period).
        Assert.DoesNotContain(ledger.Of("trial-leased"), e => e.Ordering > leases[0].Ordering && Trainer(e) == wedged);
        var said = (text + store.NodeLogText()).Split('\n').FirstOrDefault(l => l.Contains("wedged", StringComparison.OrdinalIgnoreCase));
        Assert.True(said is not null, $"no line reports the wedged trainer; output:\n{text}");
        report.Verified($"exit 0; trial {hung} leased {leases.Length}×, completed by {Trainer(completion)}, not by the wedged {wedged}, " +
                        $"which took no further work; budget {budget} met; reported: \"{WithoutLogPrefix(said!)}\"");
    }

    /// <summary>A node.log line without its timestamp, level and actor path.</summary>
    private static string WithoutLogPrefix(string line) => (line.Contains("] ") ? line[(line.IndexOf("] ", StringComparison.Ordinal) + 2)..] : line).Trim();

    private static string Trainer(JournalReader.Event e) => e.Payload.GetProperty("TrainerId").GetString()!;
}
