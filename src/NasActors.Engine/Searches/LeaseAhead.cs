using NasActors.Core.Specs;

namespace NasActors.Engine.Searches;

/// <summary>
/// How many trials a trainer may hold queued behind the one it trains (<c>execution.lease_ahead</c>). A queued trial starts the
/// moment the running one ends, so the trainer does not idle through the report's round trip and journal write, and the
/// results of short trials share one report and one write. <c>auto</c> queues enough to cover about <see cref="Cover"/> of
/// work at the search's observed mean trial duration, at most <see cref="ExecutionSpec.MaxLeaseAhead"/>: none until a
/// duration is known, and none for trials longer than <see cref="Cover"/>, where a round trip costs next to nothing and a
/// trial queued behind a long one could wait while another trainer idles. Volatile: a restarted coordinator learns again.
/// </summary>
public sealed class LeaseAhead
{
    public static readonly TimeSpan Cover = TimeSpan.FromSeconds(1);
    private const double Smoothing = 0.2;
    private readonly Dictionary<string, TimeSpan> _lastReport = new();
    private readonly HashSet<string> _trainers = [];

    /// <summary>The trainers that asked this search for work (since the coordinator started): queued leases leave each of them a trial.</summary>
    public int Trainers => _trainers.Count;

    public void Saw(string trainerId) => _trainers.Add(trainerId);

    /// <summary>The search's mean trial duration in seconds, from the trainers' reports; null before two reports of one trainer.</summary>
    public double? MeanSeconds { get; private set; }

    /// <summary>
    /// A trainer reported <paramref name="results"/> results at <paramref name="now"/> (monotonic): the time since its last report,
    /// shared by these results, is one sample of the trial duration (with lease-ahead a trainer trains without pause between them).
    /// </summary>
    public void Reported(string trainerId, int results, TimeSpan now)
    {
        if (results <= 0) return;
        if (_lastReport.TryGetValue(trainerId, out var last))
        {
            var sample = Math.Max(0, (now - last).TotalSeconds) / results;
            MeanSeconds = MeanSeconds is { } mean ? mean + Smoothing * (sample - mean) : sample;
        }
        _lastReport[trainerId] = now;
    }

    /// <summary>The queued trials a trainer may hold: the spec's number, or for <c>auto</c> (null) <see cref="Auto"/>.</summary>
    public int Depth(int? setting) => setting ?? Auto(MeanSeconds);

    public static int Auto(double? meanSeconds) => meanSeconds switch
    {
        null => 0,
        <= 0 => ExecutionSpec.MaxLeaseAhead,
        var mean => (int)Math.Min(ExecutionSpec.MaxLeaseAhead, Math.Floor(Cover.TotalSeconds / mean.Value))
    };
}
