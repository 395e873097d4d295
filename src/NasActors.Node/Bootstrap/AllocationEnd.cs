using System.Globalization;
using System.Text.RegularExpressions;

namespace NasActors.Node.Bootstrap;

/// <summary>When the batch allocation this process runs in ends, if the batch system says.</summary>
public static partial class AllocationEnd
{
    /// <summary>
    /// Slurm: SLURM_JOB_END_TIME (Unix seconds; set from Slurm 23.02), else the EndTime of `scontrol show job`
    /// (local time of the cluster). PBS: NAS_JOB_START (Unix seconds, exported by deploy/pbs/nas.pbs at the
    /// job's start; else the node's start) plus PBS_WALLTIME (seconds or hh:mm:ss).
    /// </summary>
    public static DateTimeOffset? From(BatchEnvironment env)
    {
        if (env["SLURM_JOB_END_TIME"] is { } end && long.TryParse(end, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (env.SlurmJobDetails is { } details && ScontrolEndTime(details, env.ClusterTimeZone) is { } fromScontrol)
            return fromScontrol;
        if (env["PBS_WALLTIME"] is { } walltime && Walltime(walltime) is { } limit)
        {
            var start = env["NAS_JOB_START"] is { } started && long.TryParse(started, CultureInfo.InvariantCulture, out var unix)
                ? DateTimeOffset.FromUnixTimeSeconds(unix)
                : env.Now;
            return start + limit;
        }
        return null;
    }

    /// <summary>"EndTime=2026-11-28T20:31:00" in `scontrol show job` output; "Unknown" or absent → null.</summary>
    public static DateTimeOffset? ScontrolEndTime(string details, TimeZoneInfo zone)
    {
        var match = EndTimePattern().Match(details);
        if (!match.Success || !DateTime.TryParseExact(match.Groups[1].Value, "yyyy-MM-dd'T'HH:mm:ss",
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)) return null;
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static TimeSpan? Walltime(string text)
    {
        if (long.TryParse(text, CultureInfo.InvariantCulture, out var seconds)) return TimeSpan.FromSeconds(seconds);
        var parts = text.Split(':');
        if (parts.Length == 3 && parts.All(p => int.TryParse(p, CultureInfo.InvariantCulture, out _)))
            return new TimeSpan(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture),
                int.Parse(parts[2], CultureInfo.InvariantCulture));
        return null;
    }

    [GeneratedRegex(@"\bEndTime=(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)")]
    private static partial Regex EndTimePattern();
}
