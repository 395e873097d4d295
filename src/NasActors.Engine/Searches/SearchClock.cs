using System.Diagnostics;

namespace NasActors.Engine.Searches;

/// <summary>
/// The two clocks a search needs: wall time for what people read (when it started), and a monotonic
/// clock for lease deadlines and progress timeouts, so a wall-clock jump (NTP, a suspended VM, a
/// daylight-saving mistake) neither expires every lease at once nor freezes them.
/// </summary>
public sealed record SearchClock(Func<DateTimeOffset> Wall, Func<TimeSpan> Monotonic)
{
    /// <summary>The machine's clocks: UTC wall time and <see cref="Stopwatch"/> ticks.</summary>
    public static SearchClock System { get; } = new(() => DateTimeOffset.UtcNow, () => Stopwatch.GetElapsedTime(0));

    /// <summary>
    /// One clock for both, for simulated time (a replay's virtual clock never jumps): monotonic time is the
    /// time elapsed since the clock's first reading.
    /// </summary>
    public static SearchClock Virtual(Func<DateTimeOffset> now)
    {
        var origin = now();
        return new SearchClock(now, () => now() - origin);
    }
}
