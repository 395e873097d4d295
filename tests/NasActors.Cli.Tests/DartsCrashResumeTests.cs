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

    private static string Spec(string digits) => $"""
        name: darts-tiny
        seed: 7
        space:
          type: nb201
        dataset:
          path: {digits}
        training:
          epochs: 1
          batch_size: 32
        strategy:
          name: darts
          steps: {Rounds * 2}
          steps_per_round: 2
          workers: 1
          shards: 2
          max_staleness: 100000
          alpha_lr: 0.01
          channels: 4
          cells_per_stage: 1
        budget:
          trials: 1
        execution:
          trainers: 1
        """;

    [Fact]
    public async Task A_darts_search_killed_while_its_supernet_trains_resumes_and_retrains_the_argmax_cell_of_the_shards_alpha()
    {
        using var temp = new TempFolder();
        var spec = temp.Write("darts.yaml", Spec(RepoPaths.Digits));
        var db = Path.Combine(temp.Path, ".nas", "nas.db");

        await ShardJournal.RunUntilUpdatedThenKill(temp.Path, spec, DartsSearch.AlphaBlock, 3, Generous);
        var alphaBefore = ShardJournal.BlockUpdates(db).Count(e => e.Block == DartsSearch.AlphaBlock);
        Assert.InRange(alphaBefore, 3, Rounds - 1);
        Assert.DoesNotContain(JournalReader.Read(db), e => e.Manifest.StartsWith("subnets-ranked"));

        var (code, output) = await NasProcess.RunAsync(temp.Path, Generous, "run", spec);
        Assert.True(code == 0, output);
        Assert.Contains("resuming search", output);

        // Every round pushed α and every weight block exactly once, across the kill.
        var updates = ShardJournal.BlockUpdates(db);
        Assert.Equal(Enumerable.Range(0, Rounds), updates.Where(e => e.Block == DartsSearch.AlphaBlock).Select(e => e.Round!.Value).Order());
        Assert.All(updates.GroupBy(e => e.Block), g => Assert.Equal(Rounds, g.Count()));
        Assert.All(updates.GroupBy(e => (e.Block, e.Round)), g => Assert.Single(g));

        // α was trained (it starts at 1e-3 · N(0, 1)), and the ranking's first cell is its argmax, read here from the shard's last file.
        var alpha = BlockWeights.FromBytes(File.ReadAllBytes(Path.Combine(temp.Path, ".nas", updates.Last(e => e.Block == DartsSearch.AlphaBlock).File)));
        var values = alpha.Tensors.Single().Values;
        Assert.True(values.Max() - values.Min() > 0.05, $"α barely moved: [{string.Join(", ", values)}]");
        var space = new Nb201Space();
        var argmax = space.FromValues(AlphaRanking.Probabilities(alpha, Nb201Space.Edges)
            .Select(row => (double)row.Select((p, k) => (p, k)).MaxBy(x => x.p).k).ToArray());

        var journal = JournalReader.Read(db);
        var ranked = Assert.Single(journal, e => e.Manifest == "subnets-ranked.v1").Payload;
        Assert.Equal(Rounds, ranked.GetProperty("Stats").GetProperty("Rounds").GetInt32());
        Assert.InRange(ranked.GetProperty("Stats").GetProperty("RecoveredRounds").GetInt32(), 1, alphaBefore);
        Assert.Equal(argmax.Values, ranked.GetProperty("Ranking")[0].GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()));
        var proposed = Assert.Single(journal, e => e.Manifest.StartsWith("trial-proposed")).Payload.GetProperty("Trial");
        Assert.Equal(argmax.Values, proposed.GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([1], journal.Where(e => e.Manifest.StartsWith("trial-completed")).Select(e => e.TrialId));
    }
}
