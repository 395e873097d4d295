namespace NasActors.Engine.Simulation;

/// <summary>
/// Simulated time for a replay: the current time plus a queue of wake-ups. Time moves only when
/// <see cref="AdvanceToNext"/> is called (by the run's driver, once every actor of the run is waiting),
/// and then jumps straight to the earliest wake-up. Ties are broken deterministically: by the
/// caller's <c>order</c> key (the trial id, so equal finishing times resolve the same way in every
/// run), then by the sequence number of the <see cref="Schedule"/> call.
/// One writer (the driver); <see cref="Now"/> may be read from any thread (the coordinator's clock).
/// </summary>
public sealed class VirtualClock
{
    /// <summary>The instant simulated second 0 maps to (any fixed date works; this one is readable in logs).</summary>
    public static readonly DateTimeOffset Origin = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly PriorityQueue<WakeUp, (double At, long Order, long Sequence)> _queue = new();
    private long _sequence;
    private double _seconds;

    /// <summary>Simulated seconds since the start of the run.</summary>
    public double Seconds => Volatile.Read(ref _seconds);

    /// <summary>The simulated instant, for code that takes a <c>Func&lt;DateTimeOffset&gt;</c> clock.</summary>
    public DateTimeOffset Now => Origin.AddSeconds(Seconds);

    public int Pending => _queue.Count;

    /// <summary>Asks to be woken at simulated second <paramref name="at"/> (never earlier than now).</summary>
    public WakeUp Schedule(double at, object payload, long order = 0)
    {
        var wakeUp = new WakeUp(Math.Max(at, Seconds), order, _sequence++, payload);
        _queue.Enqueue(wakeUp, (wakeUp.At, wakeUp.Order, wakeUp.Sequence));
        return wakeUp;
    }

    /// <summary>The time of the earliest wake-up, or null when none is scheduled.</summary>
    public double? NextAt => _queue.TryPeek(out var next, out _) ? next.At : null;

    /// <summary>Moves time to the earliest wake-up and returns it; null (time unchanged) when none is left.</summary>
    public WakeUp? AdvanceToNext()
    {
        if (!_queue.TryDequeue(out var next, out _)) return null;
        Volatile.Write(ref _seconds, next.At);
        return next;
    }
}

/// <summary>A scheduled wake-up: when, its tie-breaking keys, and what the driver should do then.</summary>
public sealed record WakeUp(double At, long Order, long Sequence, object Payload);
