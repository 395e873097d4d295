using NasActors.Core.Specs;

namespace NasActors.Engine.Searches;

/// <summary>
/// How many trials a trainer may hold queued behind the one it trains (<c>execution.lease_ahead</c>). A queued trial starts the
/// moment the running one ends, so the trainer does not idle through the report's round trip and journal write, and the
/// results of short trials share one report and one write. <c>auto</c> queues enough to cover about <see cref="Cover"/> of
/// work at the search's observed mean trial duration, at most <see cref="ExecutionSpec.MaxLeaseAhead"/>: none until a
/// duration is known, and none for trials longer than <see cref="Cover"/>, where a round trip costs next to nothing and a
/// trial queued behind a long one could wait while another trainer idles. The duration is what the evaluators measured
/// (<c>TrialMetrics.Seconds</c>), not the time between reports, which the journal's latency would inflate. Volatile: a
/// restarted coordinator learns again.
/// </summary>
public sealed class LeaseAhead
{
    public static readonly TimeSpan Cover = TimeSpan.FromSeconds(1);
    private const double Smoothing = 0.2;
    private readonly HashSet<string> _trainers = [];

    /// <summary>The trainers that asked this search for work (since the coordinator started): queued leases leave each of them a trial.</summary>
    public int Trainers => _trainers.Count;

    public void Saw(string trainerId) => _trainers.Add(trainerId);

    private readonly Dictionary<string, int> _answered = new();

    /// <summary>
    /// Whether the answer to a trainer's report number <paramref name="batch"/> must list every lease it holds rather than only
    /// those the answer adds: the report is a resend (the trainer's answer to it may be lost, with leases the trainer never
    /// heard of), or the first this coordinator sees from the trainer (it may resend one answered before a restart).
    /// Listing only new leases keeps the answer small: with deep queues most held leases are ones the trainer knows.
    /// </summary>
    public bool ListsAllHeld(string trainerId, int batch)
    {
        var known = _answered.TryGetValue(trainerId, out var last);
        if (!known || batch > last) _answered[trainerId] = batch;
        return !known || batch <= last;
    }

    /// <summary>The search's mean trial duration in seconds (smoothed); null before the first result.</summary>
    public double? MeanSeconds { get; private set; }

    /// <summary>A result that counted: its evaluation took <paramref name="seconds"/>.</summary>
    public void Observed(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0) return;
        MeanSeconds = MeanSeconds is { } mean ? mean + Smoothing * (seconds - mean) : seconds;
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
