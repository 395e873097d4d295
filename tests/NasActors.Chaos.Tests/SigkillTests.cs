using NasActors.Core.Randomness;

namespace NasActors.Chaos.Tests;

/// <summary>Chaos a: the process is SIGKILLed again and again during one search; nothing completed is lost or counted twice.</summary>
public class SigkillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_search_SIGKILLed_at_20_random_moments_loses_no_result_and_counts_none_twice()
    {
        const int budget = 150, kills = 20, seed = 2026;
        var report = new ChaosReport(output, "a sigkill");
        using var store = new ChaosStore(TinySpecs.Digits(trials: budget), "fake:400ms");
        var random = new SeededRandom(seed);
        var moments = Enumerable.Range(0, kills).Select(_ => (int)(random.NextDouble() * 1500)).ToArray();
        report.Injected($"SIGKILL {kills}× at seeded moments (seed {seed}), ms after the run's trainers started: {string.Join(' ', moments)}");

        var seen = new Dictionary<int, string>(); // completed trial → its payload when first seen
        var reissued = 0;
        foreach (var (moment, kill) in moments.Select((m, i) => (m, i + 1)))
        {
            using (var nas = store.StartRun())
            {
                await nas.WaitUntilSearchingAsync();
                await Task.Delay(moment);
                Assert.False(nas.HasExited, $"the search ended before kill {kill}: make the budget larger\n{nas.Output}");
                nas.KillHard();
                await nas.WaitForExitAsync(ChaosStore.Generous);
                reissued += nas.Output.Contains("re-issuing") ? 1 : 0;
            }
            var ledger = store.Ledger();
            AssertNothingLostOrDoubled(ledger, seen);
            foreach (var (id, payload) in ledger.CompletedPayloads) seen.TryAdd(id, payload);
        }
        var completedAtLastKill = seen.Count;
        Assert.InRange(completedAtLastKill, 1, budget - 1);

        var (code, finalOutput) = await store.RunToEndAsync();
        Assert.True(code == 0, finalOutput);

        var final = store.Ledger();
        AssertNothingLostOrDoubled(final, seen);
        final.AssertExactAccounting(budget);
        Assert.Empty(final.Failed);
        report.Verified($"exit 0 after {kills} kills; budget met: {final.Completed.Count}/{budget} completed, " +
                        $"{final.Proposed.Count} proposed trials each in exactly one terminal state (raw SQLite journal)");
        // A trial in flight at three kills in a row is quarantined (execution.max_attempts: the journal cannot
        // tell which trial killed the process): a terminal state like any other, reported rather than hidden.
        report.Verified($"{completedAtLastKill} results completed before the last kill kept their payloads byte for byte; " +
                        $"no trial completed twice; {reissued} restarts re-issued in-flight trials; " +
                        $"{final.Of("trial-quarantined").Count} trial(s) quarantined after 3 kills in flight");
    }

    /// <summary>Every result seen before is still there, unchanged, and no trial has two outcomes.</summary>
    private static void AssertNothingLostOrDoubled(Ledger ledger, IReadOnlyDictionary<int, string> seen)
    {
        var terminal = ledger.Terminal.Select(e => e.TrialId).ToArray();
        Assert.Equal(terminal.Length, terminal.Distinct().Count());
        var now = ledger.CompletedPayloads;
        foreach (var (id, payload) in seen)
        {
            Assert.True(now.TryGetValue(id, out var current), $"completed trial {id} was lost");
            Assert.Equal(payload, current);
        }
    }
}
