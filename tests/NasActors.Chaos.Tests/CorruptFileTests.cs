using System.Diagnostics;
using System.Text.Json;

namespace NasActors.Chaos.Tests;

/// <summary>Chaos h and i: garbage where a checkpoint or the journal should be.</summary>
public class CorruptFileTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_garbage_checkpoint_makes_its_trial_restart_from_epoch_0_and_the_search_completes()
    {
        const int budget = 1;
        var report = new ChaosReport(output, "h checkpoint");
        // Real training: checkpoints are TorchSharp's; one trial, epochs enough to be killed mid-trial.
        using var store = new ChaosStore(TinySpecs.Digits(trials: budget, trainers: 1, epochs: 40, strategy: "random"), "");

        var (trial, epoch) = await KillAfterACheckpointAsync(store);
        var checkpoints = Path.Combine(store.SearchDirectory, "checkpoints");
        var garbled = Directory.GetFiles(checkpoints, $"trial-{trial}*").Where(f => !f.EndsWith(".json")).ToArray();
        Assert.NotEmpty(garbled);
        foreach (var file in garbled) File.WriteAllBytes(file, Garbage(4096));
        report.Injected($"SIGKILL after trial {trial} checkpointed epoch {epoch}; then {string.Join(", ", garbled.Select(Path.GetFileName))} overwritten with garbage");

        var (code, text) = await store.RunToEndAsync();

        Assert.True(code == 0, text);
        var ledger = store.Ledger();
        ledger.AssertExactAccounting(budget);
        var completed = ledger.TerminalOf(trial);
        Assert.StartsWith("trial-completed.", completed.Manifest);
        Assert.False(ResumedFrom(completed) > 0, $"trial {trial} resumed from a garbage checkpoint: {completed.Payload}");
        var warning = (text + store.NodeLogText()).Split('\n')
            .FirstOrDefault(l => l.Contains($"trial {trial}: ignoring checkpoint"));
        Assert.True(warning is not null, $"no warning says the damaged checkpoint of trial {trial} was ignored; output:\n{text}");
        report.Verified($"exit 0; trial {trial} trained again from epoch 0 (no resumed_from_epoch) and completed; logged: \"{warning!.Trim()}\"");
    }

    [Fact]
    public async Task A_corrupt_database_gets_one_clear_line_from_run_and_status_quickly_and_stays_untouched()
    {
        var report = new ChaosReport(output, "i corrupt db");
        using var store = new ChaosStore(TinySpecs.Digits(trials: 2), "");
        Directory.CreateDirectory(store.Directory);
        File.WriteAllBytes(store.Database, Garbage(64 * 1024));
        var before = File.ReadAllBytes(store.Database);
        report.Injected("64 KiB of garbage as .nas/nas.db");

        foreach (var args in new[] { new[] { "run", store.Spec }, ["status", "chaos-00000000"] })
        {
            var clock = Stopwatch.StartNew();
            var (code, text) = await store.RunAsync(args);
            clock.Stop();
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.NotEqual(0, code);
            var line = Assert.Single(lines);
            Assert.Contains("nas.db", line);
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
            report.Verified($"`nas {args[0]}` exited {code} in {clock.Elapsed.TotalSeconds:F1} s (process start included) with one line: \"{line}\"");
        }
        Assert.Equal(before, File.ReadAllBytes(store.Database));
        report.Verified("nas.db unchanged byte for byte");
    }

    /// <summary>Runs until a trial has a checkpoint mark on disk, kills the process, and returns the trial and the mark's epoch.</summary>
    private static async Task<(int Trial, int Epoch)> KillAfterACheckpointAsync(ChaosStore store)
    {
        // The mark is rewritten every epoch (deleted first): a kill can land between, so try a few times.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var nas = store.StartRun();
            await nas.WaitUntilSearchingAsync();
            var deadline = DateTime.UtcNow + ChaosStore.Generous;
            while (DateTime.UtcNow < deadline && !nas.HasExited && Mark(store) is not { Epoch: >= 2 })
                await Task.Delay(50);
            nas.KillHard();
            await nas.WaitForExitAsync(ChaosStore.Generous);
            if (Mark(store) is { Epoch: >= 1 } mark) return mark;
        }
        throw new InvalidOperationException("no checkpoint survived five kills");
    }

    private static (int Trial, int Epoch)? Mark(ChaosStore store)
    {
        var folder = Path.Combine(store.Directory, "searches");
        if (!Directory.Exists(folder)) return null;
        foreach (var file in Directory.GetFiles(folder, "trial-*.json", SearchOption.AllDirectories).Where(f => f.Contains("checkpoints")))
        {
            try
            {
                using var json = JsonDocument.Parse(File.ReadAllText(file));
                var trial = int.Parse(Path.GetFileName(file).Split('.')[0]["trial-".Length..]);
                return (trial, json.RootElement.GetProperty("Epoch").GetInt32());
            }
            catch (Exception e) when (e is IOException or JsonException) { } // being rewritten
        }
        return null;
    }

    private static double ResumedFrom(JournalReader.Event completed) =>
        completed.Payload.GetProperty("Metrics").TryGetProperty("Extra", out var extra) && extra.ValueKind == JsonValueKind.Object
        && extra.TryGetProperty("resumed_from_epoch", out var epoch) ? epoch.GetDouble() : 0;

    private static byte[] Garbage(int length)
    {
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        return bytes;
    }
}
