using System.Text.Json;

namespace NasActors.Cli.Tests;

/// <summary>
/// Weight-sharing MANAS through `nas run`: six persistent edge agents pick each round's path, the supernet's blocks live in
/// shards. SIGKILLed while the supernet trains, run again, it finishes with every round's push merged once and every
/// agent rewarded once for every round (null for the agents a kill between a round's rewards left waiting), and the
/// agents' favourite cell retrained as trial 1.
/// </summary>
public class ManasCrashResumeTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);
    private const int Rounds = 16;

    private static string Spec() => TinySpecs.OneShotNb201("manas-tiny", "manas-supernet",
        $"rounds: {Rounds}", "batches_per_round: 1", "gamma: 0.2");

    [Fact]
    public async Task A_manas_search_killed_while_its_supernet_trains_resumes_rewards_every_agent_once_per_round_and_retrains_the_agents_cell()
    {
        using var temp = new TempFolder();
        var spec = temp.Write("manas.yaml", Spec());
        var db = Path.Combine(temp.Path, ".nas", "nas.db");

        var stemBefore = await ShardJournal.KillThenResume(temp.Path, spec, "stem", 3, Rounds, Generous);

        // Every round's path (the stem is on all of them) was pushed once, across the kill.
        ShardJournal.AssertEveryRoundMergedOnce(ShardJournal.BlockUpdates(db), "stem", Rounds);

        // Each of the six agents learned once from every round, with a measured reward (a validation-batch accuracy).
        var learned = JournalReader.Read(db, "agent-").Where(e => e.Manifest.StartsWith("reward-learned")).ToArray();
        Assert.Equal(6, learned.Select(e => e.PersistenceId).Distinct().Count());
        Assert.All(learned.GroupBy(e => e.PersistenceId), agent =>
            Assert.Equal(Enumerable.Range(0, Rounds), agent.Select(e => e.Payload.GetProperty("Ticket").GetInt32()).Order()));
        var measured = learned.Where(e => e.Payload.GetProperty("Reward").ValueKind == JsonValueKind.Number).ToArray();
        Assert.All(measured, e => Assert.InRange(e.Payload.GetProperty("Reward").GetDouble(), 0, 1));
        // Only the kill may have come between a round's rewards: the agents that had not learned it yet learn nothing (null) from it.
        var unmeasured = learned.Except(measured).ToArray();
        Assert.InRange(unmeasured.Select(e => e.Payload.GetProperty("Ticket").GetInt32()).Distinct().Count(), 0, 1);
        Assert.InRange(unmeasured.Length, 0, 5);

        // The ranking's first cell (the agents' favourites) is the one proposed and retrained.
        var journal = JournalReader.Read(db);
        var ranked = ShardJournal.SingleRankingAfterResume(journal, Rounds, stemBefore);
        var proposed = Assert.Single(journal, e => e.Manifest.StartsWith("trial-proposed")).Payload.GetProperty("Trial");
        Assert.Equal(ranked.GetProperty("Ranking")[0].GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()),
            proposed.GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([1], journal.Where(e => e.Manifest.StartsWith("trial-completed")).Select(e => e.TrialId));
    }
}
