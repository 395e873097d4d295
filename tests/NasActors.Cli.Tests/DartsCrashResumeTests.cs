using NasActors.Core.Spaces;
using NasActors.Core.Strategies.OneShot;
using NasActors.Core.Strategies.Supernet;

namespace NasActors.Cli.Tests;

/// <summary>
/// First-order DARTS through `nas run`, its weights and α held by supernet shards: SIGKILLed while the supernet trains,
/// run again, it finishes with exact accounting (every round's push of α and of every weight block merged once), the
/// cell read off the shard's final α by argmax proposed first, and retrained as trial 1.
/// </summary>
public class DartsCrashResumeTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);
    private const int Rounds = 16;

    private static string Spec() => TinySpecs.OneShotNb201("darts-tiny", "darts",
        $"steps: {Rounds * 2}", "steps_per_round: 2", "workers: 1", "shards: 2", "max_staleness: 100000", "alpha_lr: 0.01");

    [Fact]
    public async Task A_darts_search_killed_while_its_supernet_trains_resumes_and_retrains_the_argmax_cell_of_the_shards_alpha()
    {
        using var temp = new TempFolder();
        var spec = temp.Write("darts.yaml", Spec());
        var db = Path.Combine(temp.Path, ".nas", "nas.db");

        var alphaBefore = await ShardJournal.KillThenResume(temp.Path, spec, DartsSearch.AlphaBlock, 3, Rounds, Generous);

        // Every round pushed α and every weight block exactly once, across the kill.
        var updates = ShardJournal.BlockUpdates(db);
        ShardJournal.AssertEveryRoundMergedOnce(updates, DartsSearch.AlphaBlock, Rounds);
        Assert.All(updates.GroupBy(e => e.Block), g => Assert.Equal(Rounds, g.Count()));

        // α was trained (it starts at 1e-3 · N(0, 1)), and the ranking's first cell is its argmax, read here from the shard's last file.
        var alpha = BlockWeights.FromBytes(File.ReadAllBytes(Path.Combine(temp.Path, ".nas", updates.Last(e => e.Block == DartsSearch.AlphaBlock).File)));
        var values = alpha.Tensors.Single().Values;
        Assert.True(values.Max() - values.Min() > 0.05, $"α barely moved: [{string.Join(", ", values)}]");
        var space = new Nb201Space();
        var argmax = space.FromValues(AlphaRanking.Probabilities(alpha, Nb201Space.Edges)
            .Select(row => (double)row.Select((p, k) => (p, k)).MaxBy(x => x.p).k).ToArray());

        var journal = JournalReader.Read(db);
        var ranked = ShardJournal.SingleRankingAfterResume(journal, Rounds, alphaBefore);
        Assert.Equal(argmax.Values, ranked.GetProperty("Ranking")[0].GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()));
        var proposed = Assert.Single(journal, e => e.Manifest.StartsWith("trial-proposed")).Payload.GetProperty("Trial");
        Assert.Equal(argmax.Values, proposed.GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([1], journal.Where(e => e.Manifest.StartsWith("trial-completed")).Select(e => e.TrialId));
    }
}
