using System.Text;
using NasActors.Core.Trials;

namespace NasActors.Engine.Trainers.FaultInjection;

/// <summary>
/// Counts a trial's attempts in <c>&lt;search&gt;/faults/trial-N.attempts</c> (one line per attempt, next to
/// the trials' artefacts), so faults like hang-once survive a restart of the process.
/// </summary>
public static class AttemptLog
{
    private static readonly object Gate = new();

    public static string FileFor(TrialContext context, int trialId) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(context.ArtifactDirectory))!, "faults", $"trial-{trialId}.attempts");

    /// <summary>Records one more attempt and returns its number (1 for the first). Synced to disk before returning.</summary>
    public static int Record(TrialContext context, int trialId)
    {
        var file = FileFor(context, trialId);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        lock (Gate)
        {
            using var stream = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.Read);
            var line = Encoding.UTF8.GetBytes($"{DateTimeOffset.UtcNow:O} pid {Environment.ProcessId}\n");
            stream.Write(line);
            stream.Flush(flushToDisk: true);
            return File.ReadAllLines(file).Length;
        }
    }
}
