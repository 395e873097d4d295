using System.Globalization;
using System.Text.RegularExpressions;
using NasActors.Core.Trials;

namespace NasActors.Training.Trials;

/// <summary>
/// The files one attempt of a trial writes: their names carry the attempt's lease epoch (the
/// fencing token, as in <see cref="TrialArtifacts"/>), so an attempt that lost its lease writes only
/// files of its own, older epoch and never those of the live attempt. Epoch 0 (no fencing) keeps the
/// names used before epochs existed.
/// </summary>
public static class TrialFiles
{
    /// <summary>"trial-7.e3" (lease epoch 3) or "trial-7" (epoch 0).</summary>
    public static string Stem(int trialId, int leaseEpoch) =>
        leaseEpoch > 0 ? $"trial-{trialId}.e{leaseEpoch}" : $"trial-{trialId}";

    /// <summary>
    /// Files of <paramref name="trialId"/> in <paramref name="directory"/> whose name is the stem followed by
    /// <paramref name="suffixPattern"/> (a regex), with the lease epoch each carries.
    /// </summary>
    public static IEnumerable<(string Path, int LeaseEpoch)> Find(string directory, int trialId, string suffixPattern)
    {
        if (!Directory.Exists(directory)) yield break;
        var name = new Regex($@"^trial-{trialId}(?:\.e(?<lease>[0-9]{{1,9}}))?\.{suffixPattern}$", RegexOptions.CultureInvariant);
        foreach (var path in Directory.EnumerateFiles(directory, $"trial-{trialId}.*"))
        {
            var match = name.Match(Path.GetFileName(path));
            if (!match.Success) continue;
            var lease = match.Groups["lease"].Success ? int.Parse(match.Groups["lease"].Value, CultureInfo.InvariantCulture) : 0;
            yield return (path, lease);
        }
    }

    /// <summary>
    /// Removes temporary files a killed attempt of this trial left behind (an <see cref="AtomicFile"/>
    /// write that never reached its rename). Only those of this epoch and older ones: a newer epoch's
    /// temporaries may be a live attempt's writes in progress.
    /// </summary>
    public static void DeleteStaleTemporaries(string? directory, int trialId, int leaseEpoch)
    {
        if (directory is null) return;
        foreach (var (path, lease) in Find(directory, trialId, @".+\.[0-9a-f]{32}\.tmp"))
            if (lease <= leaseEpoch)
                try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>
    /// <see cref="AtomicFile.Write"/> for a trial's own files: a fault of the disk (full, read-only, no
    /// permission, a path that is not a folder) is the machine's, not the trial's, and becomes an
    /// <see cref="InfrastructureException"/> naming the file, so the trial is handed back, not failed.
    /// </summary>
    public static void Write(string path, Action<FileStream> write) =>
        Guard(path, "write", () => AtomicFile.Write(path, write));

    /// <summary>Durable delete with the same fault handling as <see cref="Write"/>.</summary>
    public static void Delete(string path) => Guard(path, "delete", () => AtomicFile.Delete(path));

    private static void Guard(string path, string what, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InfrastructureException($"cannot {what} '{path}': {e.Message}", e);
        }
    }
}
