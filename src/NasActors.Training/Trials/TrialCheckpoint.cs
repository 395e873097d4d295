using System.Security.Cryptography;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasActors.Training.Trials;

/// <summary>
/// Model and optimizer state of a trial at the end of an epoch, so a trial re-issued after its
/// trainer died resumes from there instead of restarting. Three files per attempt, named with the
/// attempt's lease epoch (<c>trial-7.e3.model.pt</c>, <c>.optimizer.pt</c>, <c>.json</c>); the small
/// JSON file is written last and is the commit mark: without it (a crash mid-write) there is no
/// checkpoint. It names the genotype and seed, so a checkpoint is never applied to a different
/// trial, and the SHA-256 of the two state files, so a truncated or damaged one is never loaded.
/// </summary>
/// <remarks>
/// An attempt writes and deletes only files of its own epoch (a zombie attempt cannot clobber the
/// live one) but resumes from the newest valid checkpoint of any epoch up to its own, so a re-issued
/// attempt continues where the previous one stopped. A checkpoint that cannot be used (unreadable
/// mark, missing, truncated or damaged state file) is reported through <c>warn</c> and skipped:
/// the trial then trains from epoch 0 rather than failing.
/// </remarks>
public sealed class TrialCheckpoint(string directory, int trialId, int leaseEpoch, string genotype, long seed, Action<string> warn)
{
    private const string MarkSuffix = "json";
    private const string ModelSuffix = "model.pt";
    private const string OptimizerSuffix = "optimizer.pt";

    public string MarkFile => FileOf(leaseEpoch, MarkSuffix);
    public string ModelFile => FileOf(leaseEpoch, ModelSuffix);
    public string OptimizerFile => FileOf(leaseEpoch, OptimizerSuffix);

    /// <summary>Writes this attempt's checkpoint durably; disk faults become <see cref="NasActors.Core.Trials.InfrastructureException"/>.</summary>
    public void Save(nn.Module model, OptimizerHelper optimizer, int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        var modelBytes = Serialize(writer => model.save(writer));
        var optimizerBytes = Serialize(optimizer.save_state_dict);
        TrialFiles.Delete(MarkFile); // the files below are about to change: no checkpoint until the new mark
        TrialFiles.Write(ModelFile, file => file.Write(modelBytes));
        TrialFiles.Write(OptimizerFile, file => file.Write(optimizerBytes));
        var mark = new Mark(genotype, seed, epoch, new Dictionary<string, double>(metrics), Hash(modelBytes), Hash(optimizerBytes));
        TrialFiles.Write(MarkFile, file => JsonSerializer.Serialize(file, mark));
    }

    /// <summary>
    /// Restores model and optimizer from the newest usable checkpoint; returns its last finished epoch
    /// (0: nothing to resume, model and optimizer untouched) and the metrics recorded so far. Checkpoints of more than
    /// <paramref name="maxEpoch"/> epochs are passed over.
    /// </summary>
    public (int Epoch, IReadOnlyDictionary<string, double> Metrics) TryRestore(nn.Module model, OptimizerHelper optimizer, int maxEpoch = int.MaxValue)
    {
        foreach (var (mark, lease) in Candidates())
        {
            if (mark.Epoch > maxEpoch) continue; // trained further than the caller wants: weights cannot be un-trained
            try
            {
                var modelBytes = Verified(FileOf(lease, ModelSuffix), mark.ModelSha256);
                var optimizerBytes = Verified(FileOf(lease, OptimizerSuffix), mark.OptimizerSha256);
                LoadOrRollBack(model, optimizer, modelBytes, optimizerBytes);
                return (mark.Epoch, mark.Metrics);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                warn($"trial {trialId}: ignoring checkpoint '{FileOf(lease, MarkSuffix)}': {e.Message}");
            }
        }
        return (0, new Dictionary<string, double>());
    }

    /// <summary>Removes the checkpoints of this epoch and older ones (a finished trial needs none); newer epochs belong to a live attempt.</summary>
    public void Delete()
    {
        foreach (var suffix in new[] { MarkSuffix, ModelSuffix, OptimizerSuffix }) // the mark first: it commits the others
            foreach (var (path, lease) in TrialFiles.Find(directory, trialId, Regex(suffix)))
                if (lease <= leaseEpoch)
                    try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Marks of this trial (same genotype and seed) written by this epoch or an older one, newest first.</summary>
    private IEnumerable<(Mark Mark, int Lease)> Candidates()
    {
        var found = new List<(Mark Mark, int Lease)>();
        foreach (var (path, lease) in TrialFiles.Find(directory, trialId, Regex(MarkSuffix)))
        {
            if (lease > leaseEpoch) continue;
            Mark? mark;
            try
            {
                mark = JsonSerializer.Deserialize<Mark>(File.ReadAllText(path));
                if (mark is null || mark.Epoch < 1 || mark.Metrics is null) throw new InvalidDataException("not a checkpoint mark");
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or InvalidDataException)
            {
                warn($"trial {trialId}: ignoring checkpoint '{path}': its mark is unreadable ({e.Message})");
                continue;
            }
            // Another genotype under the same id (a search started anew in the same store): not this trial's.
            if (mark.Genotype == genotype && mark.Seed == seed) found.Add((mark, lease));
        }
        return found.OrderByDescending(c => c.Mark.Epoch).ThenByDescending(c => c.Lease);
    }

    private static byte[] Verified(string path, string? sha256)
    {
        var bytes = File.ReadAllBytes(path);
        // Marks written before hashes were recorded have none; their files are loaded as they are.
        if (sha256 is not null && Hash(bytes) != sha256)
            throw new InvalidDataException($"'{Path.GetFileName(path)}' does not match its recorded SHA-256 (truncated or damaged)");
        return bytes;
    }

    /// <summary>Loads both states; if either fails half-way, puts back what model and optimizer held before.</summary>
    private static void LoadOrRollBack(nn.Module model, OptimizerHelper optimizer, byte[] modelBytes, byte[] optimizerBytes)
    {
        var modelBefore = Serialize(writer => model.save(writer));
        var optimizerBefore = Serialize(optimizer.save_state_dict);
        try
        {
            Load(modelBytes, reader => model.load(reader));
            Load(optimizerBytes, optimizer.load_state_dict);
        }
        catch
        {
            Load(modelBefore, reader => model.load(reader));
            Load(optimizerBefore, optimizer.load_state_dict);
            throw;
        }
    }

    private string FileOf(int lease, string suffix) => Path.Combine(directory, $"{TrialFiles.Stem(trialId, lease)}.{suffix}");

    private static string Regex(string suffix) => System.Text.RegularExpressions.Regex.Escape(suffix);

    private static byte[] Serialize(Action<BinaryWriter> save)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, System.Text.Encoding.UTF8, leaveOpen: true)) save(writer);
        return memory.ToArray();
    }

    private static void Load(byte[] bytes, Action<BinaryReader> load)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
        load(reader);
    }

    private static string Hash(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    private sealed record Mark(string Genotype, long Seed, int Epoch, Dictionary<string, double> Metrics,
        string? ModelSha256 = null, string? OptimizerSha256 = null);
}
