using NasActors.Engine.Simulation;

namespace NasActors.Engine.Tests.Simulation;

public sealed class VirtualClockTests
{
    [Fact]
    public void Wake_ups_come_in_time_order_and_ties_break_by_order_key_then_by_schedule_order()
    {
        var clock = new VirtualClock();
        clock.Schedule(50, "late");
        clock.Schedule(10, "tie-order-2", order: 2);
        clock.Schedule(10, "tie-order-1-first", order: 1);
        clock.Schedule(10, "tie-order-1-second", order: 1);
        clock.Schedule(5, "early", order: 99);

        var seen = new List<(double, object)>();
        while (clock.AdvanceToNext() is { } w)
        {
            Assert.Equal(w.At, clock.Seconds);
            seen.Add((w.At, w.Payload));
        }

        Assert.Equal([(5.0, "early"), (10.0, "tie-order-1-first"), (10.0, "tie-order-1-second"), (10.0, "tie-order-2"), (50.0, "late")], seen);
        Assert.Equal(VirtualClock.Origin.AddSeconds(50), clock.Now);
    }

    [Fact]
    public void Time_stands_still_between_advances_and_never_goes_back()
    {
        var clock = new VirtualClock();
        Assert.Null(clock.AdvanceToNext());
        Assert.Equal(0, clock.Seconds);
        clock.Schedule(30, "a");
        Assert.Equal(30, clock.NextAt);
        Assert.Equal(0, clock.Seconds);
        clock.AdvanceToNext();
        var past = clock.Schedule(10, "in the past");
        Assert.Equal(30, past.At); // clamped to now
        clock.AdvanceToNext();
        Assert.Equal(30, clock.Seconds);
    }
}
