using NasActors.Node.Configuration;

namespace NasActors.Node.Tests.Configuration;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("90s", 90)]
    [InlineData("2m", 120)]
    [InlineData("1.5h", 5400)]
    [InlineData("1d", 86400)]
    [InlineData("00:02:00", 120)]
    public void Durations_parse_with_units_or_as_timespans(string text, double seconds)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5s")]
    [InlineData("5 parsecs")]
    public void Nonsense_is_not_a_duration(string text) => Assert.False(Durations.TryParse(text, out _));

    [Theory]
    [InlineData(303, "5:03")]
    [InlineData(3599, "59:59")]
    [InlineData(4500, "1:15:00")]
    [InlineData(97200, "27:00:00")] // a table build's first estimates: hours must not wrap into minutes
    public void A_clock_shows_hours_once_the_duration_passes_one(int seconds, string shown) =>
        Assert.Equal(shown, Durations.Clock(TimeSpan.FromSeconds(seconds)));
}
