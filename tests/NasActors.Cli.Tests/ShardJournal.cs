using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace NasActors.Cli.Tests;

/// <summary>A `nas run` store's supernet shard journals, read straight from SQLite, independent of the product's code.</summary>
public static class ShardJournal
{
    /// <param name="File">where the new version's weights are, relative to the store</param>
    public sealed record BlockUpdate(string Manifest, string Block, int? Round, string File);

    /// <summary>Every merged push, in journal order.</summary>
    public static IReadOnlyList<BlockUpdate> BlockUpdates(string db)
    {
        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT manifest, message FROM journal WHERE persistence_id LIKE 'supernet-shard-%' ORDER BY ordering";
        using var reader = command.ExecuteReader();
        var events = new List<BlockUpdate>();
        while (reader.Read())
        {
            var manifest = reader.GetString(0);
            if (!manifest.StartsWith("supernet-block-updated")) continue;
            var payload = JsonDocument.Parse((byte[])reader["message"]).RootElement;
            var round = payload.TryGetProperty("Round", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt32() : (int?)null;
            var block = payload.GetProperty("Block");
            events.Add(new BlockUpdate(manifest, block.GetProperty("Name").GetString()!, round, block.GetProperty("File").GetString()!));
        }
        return events;
    }

    /// <summary>Merged pushes to <paramref name="block"/> while the store is being written: a busy database reads as "not yet".</summary>
    public static int UpdatesWhileRunning(string db, string block)
    {
        try
        {
            return BlockUpdates(db).Count(e => e.Block == block);
        }
        catch (SqliteException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Starts `nas run <paramref name="spec"/>` in <paramref name="folder"/> and SIGKILLs it once <paramref name="block"/> has
    /// <paramref name="updates"/> merged pushes in the store's journal (the supernet is training); fails if it exits or stalls first.
    /// </summary>
    public static async Task RunUntilUpdatedThenKill(string folder, string spec, string block, int updates, TimeSpan limit)
    {
        var db = Path.Combine(folder, ".nas", "nas.db");
        using var run = NasProcess.Start(folder, "run", spec);
        var deadline = DateTime.UtcNow + limit;
        while (!File.Exists(db) || UpdatesWhileRunning(db, block) < updates)
        {
            Assert.False(run.HasExited, run.Output);
            Assert.True(DateTime.UtcNow < deadline, "the supernet never got going: " + run.Output);
            await Task.Delay(100);
        }
        run.KillHard();
        await run.WaitForExitAsync(limit);
    }

    /// <summary>
    /// The crash-resume preamble: <see cref="RunUntilUpdatedThenKill"/>, then checks the kill came in phase 1 (between
    /// <paramref name="updates"/> and <paramref name="rounds"/> − 1 merged pushes to <paramref name="block"/>, nothing ranked
    /// yet), runs `nas run <paramref name="spec"/>` again to the end and checks it exited 0 saying it resumed.
    /// Returns the block's merged pushes at the kill.
    /// </summary>
    public static async Task<int> KillThenResume(string folder, string spec, string block, int updates, int rounds, TimeSpan limit)
    {
        var db = Path.Combine(folder, ".nas", "nas.db");
        await RunUntilUpdatedThenKill(folder, spec, block, updates, limit);
        var before = BlockUpdates(db).Count(e => e.Block == block);
        Assert.InRange(before, updates, rounds - 1);
        Assert.DoesNotContain(JournalReader.Read(db), e => e.Manifest.StartsWith("subnets-ranked"));

        var (code, output) = await NasProcess.RunAsync(folder, limit, "run", spec);
        Assert.True(code == 0, output);
        Assert.Contains("resuming search", output);
        return before;
    }

    /// <summary>
    /// The search's one `subnets-ranked.v1` event (its payload), checked to count every round and to know it resumed:
    /// 1 to <paramref name="before"/> rounds recovered from the shards.
    /// </summary>
    public static JsonElement SingleRankingAfterResume(IReadOnlyList<JournalReader.Event> journal, int rounds, int before)
    {
        var ranked = Assert.Single(journal, e => e.Manifest == "subnets-ranked.v1").Payload;
        Assert.Equal(rounds, ranked.GetProperty("Stats").GetProperty("Rounds").GetInt32());
        Assert.InRange(ranked.GetProperty("Stats").GetProperty("RecoveredRounds").GetInt32(), 1, before);
        return ranked;
    }

    /// <summary>Every round 0 … <paramref name="rounds"/> − 1 reached <paramref name="block"/> exactly once, and no block took a round twice.</summary>
    public static void AssertEveryRoundMergedOnce(IReadOnlyList<BlockUpdate> updates, string block, int rounds)
    {
        Assert.Equal(Enumerable.Range(0, rounds), updates.Where(e => e.Block == block).Select(e => e.Round!.Value).Order());
        Assert.All(updates.GroupBy(e => (e.Block, e.Round)), g => Assert.Single(g));
    }
}
