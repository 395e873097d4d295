using NasActors.Core.Trials;

namespace NasActors.Engine.Searches;

/// <summary>
/// What the coordinator knows of a live lease besides the journal (volatile, rebuilt on recovery): its
/// deadline and when its trial last made progress, both on the monotonic clock.
/// </summary>
internal sealed class LiveLease
{
    public TimeSpan Deadline { get; set; }
    public TimeSpan ProgressAt { get; set; }
    public TrialProgress? Progress { get; set; }

    public static LiveLease Start(TimeSpan now, double leaseSeconds) =>
        new() { Deadline = now + TimeSpan.FromSeconds(leaseSeconds), ProgressAt = now };
}
