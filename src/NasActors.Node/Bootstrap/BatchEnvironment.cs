using System.Collections;
using System.Diagnostics;

namespace NasActors.Node.Bootstrap;

/// <summary>
/// What a batch system tells a process about its allocation, gathered once so that
/// <see cref="BatchBootstrap"/> stays a pure function of it.
/// </summary>
/// <param name="Variables">The process environment (SLURM_*, PBS_*, CUDA_VISIBLE_DEVICES, NAS_JOB_START).</param>
/// <param name="Now">The moment the node starts.</param>
/// <param name="ClusterTimeZone">The zone `scontrol` prints times in (the node's local zone).</param>
/// <param name="SlurmJobDetails">`scontrol show job $SLURM_JOB_ID` output, read only when SLURM_JOB_END_TIME is missing.</param>
/// <param name="PbsNodeFile">The lines of $PBS_NODEFILE.</param>
public sealed record BatchEnvironment(
    IReadOnlyDictionary<string, string> Variables,
    DateTimeOffset Now,
    TimeZoneInfo ClusterTimeZone,
    string? SlurmJobDetails = null,
    IReadOnlyList<string>? PbsNodeFile = null)
{
    public string? this[string name] => Variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>Reads this process's environment, its PBS node file and, under Slurm 22.05 and older, `scontrol show job`.</summary>
    public static BatchEnvironment Capture()
    {
        var variables = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        variables.TryGetValue("PBS_NODEFILE", out var nodeFile);
        var pbsLines = nodeFile is { Length: > 0 } && File.Exists(nodeFile) ? File.ReadAllLines(nodeFile) : null;
        string? details = null;
        if (variables.TryGetValue("SLURM_JOB_ID", out var jobId) && !variables.ContainsKey("SLURM_JOB_END_TIME"))
            details = Scontrol(jobId);
        return new BatchEnvironment(variables, DateTimeOffset.Now, TimeZoneInfo.Local, details, pbsLines);
    }

    private static string? Scontrol(string jobId)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("scontrol", ["show", "job", jobId])
            {
                RedirectStandardOutput = true, RedirectStandardError = true
            });
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd();
            return process.WaitForExit(10_000) && process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no scontrol on this machine: the drain falls back to the signal alone.
        }
    }
}
