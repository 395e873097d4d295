namespace NasActors.Cli.Tests;

/// <summary>
/// SPOS through `nas run`: SIGKILLed while its supernet trains (phase 1), run again, it finishes with exact accounting:
/// every round's push merged once per block, the ranking recorded once, the budget's trials retrained once each.
/// </summary>
public class SposCrashResumeTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);
    private const int Rounds = 80;

    private static string Spec() =>
        TinySpecs.Spos("spos-tiny", Rounds, shards: 2, population: 6, generations: 2, epochs: 2, strategy: "workers: 2", execution: "trainers: 1");

    [Fact]
    public async Task A_spos_search_killed_in_phase_1_resumes_and_trains_each_round_once()
    {
        using var temp = new TempFolder();
        var spec = temp.Write("spos.yaml", Spec());
        var db = Path.Combine(temp.Path, ".nas", "nas.db");

        // Killed once a few rounds are in the shards' journals, long before the 100th.
        var headBefore = await ShardJournal.KillThenResume(temp.Path, spec, "head", 5, Rounds, Generous);

        // Phase 1: every round reached the head (in every path) exactly once, across the kill; no block took a round twice.
        var updates = ShardJournal.BlockUpdates(db);
        ShardJournal.AssertEveryRoundMergedOnce(updates, "head", Rounds);
        Assert.All(updates, e => Assert.Equal("supernet-block-updated.v2", e.Manifest));
        // Phase 2 ranked once, knowing it resumed; phase 3 retrained the budget, each trial once.
        var journal = JournalReader.Read(db);
        ShardJournal.SingleRankingAfterResume(journal, Rounds, headBefore);
        var completed = journal.Where(e => e.Manifest.StartsWith("trial-completed")).Select(e => e.TrialId).ToArray();
        Assert.Equal([1, 2], completed.Order());
    }
}
