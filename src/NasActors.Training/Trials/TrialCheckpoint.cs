using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace NasActors.Training.Trials;

/// <summary>
/// Model and optimizer state of a trial at the end of an epoch, so a trial re-issued after its
/// trainer died resumes from there instead of restarting. Three files per trial; the small JSON
/// file is written last and is the commit mark: without it (a crash mid-write) there is no checkpoint.
/// It also names the genotype and seed, so a checkpoint is never applied to a different trial.
/// </summary>
public sealed class TrialCheckpoint(string directory, int trialId, string genotype, long seed)
{
    private string ModelFile => Path.Combine(directory, $"trial-{trialId}.model.pt");
    private string OptimizerFile => Path.Combine(directory, $"trial-{trialId}.optimizer.pt");
    private string MarkFile => Path.Combine(directory, $"trial-{trialId}.json");

    public void Save(nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer, int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        Directory.CreateDirectory(directory);
        File.Delete(MarkFile); // the files below are about to change: no checkpoint until the new mark
        AtomicFile.Write(ModelFile, file =>
        {
            using var writer = new BinaryWriter(file, System.Text.Encoding.UTF8, leaveOpen: true);
            model.save(writer);
        });
        var temporary = $"{OptimizerFile}.{Guid.NewGuid():N}.tmp";
        optimizer.save_state_dict(temporary);
        File.Move(temporary, OptimizerFile, overwrite: true);
        AtomicFile.Write(MarkFile, file => JsonSerializer.Serialize(file, new Mark(genotype, seed, epoch, new Dictionary<string, double>(metrics))));
    }

    /// <summary>Restores model and optimizer; returns the last finished epoch (0: nothing to resume) and the metrics recorded so far.</summary>
    public (int Epoch, IReadOnlyDictionary<string, double> Metrics) TryRestore(nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        if (!File.Exists(MarkFile)) return (0, new Dictionary<string, double>());
        var mark = JsonSerializer.Deserialize<Mark>(File.ReadAllText(MarkFile));
        if (mark is null || mark.Genotype != genotype || mark.Seed != seed) return (0, new Dictionary<string, double>());
        model.load(ModelFile);
        optimizer.load_state_dict(OptimizerFile);
        return (mark.Epoch, mark.Metrics);
    }

    public void Delete()
    {
        foreach (var file in new[] { MarkFile, ModelFile, OptimizerFile })
            if (File.Exists(file)) File.Delete(file);
    }

    private sealed record Mark(string Genotype, long Seed, int Epoch, Dictionary<string, double> Metrics);
}
