using System.Globalization;

namespace NasActors.Node.Configuration;

/// <summary>
/// Durations as people write them in config and on command lines: "500ms", "90s", "2m", "1h", "1d",
/// or a TimeSpan "hh:mm:ss".
/// </summary>
public static class Durations
{
    private static readonly (string Suffix, Func<double, TimeSpan> Make)[] Units =
    [
        ("ms", TimeSpan.FromMilliseconds), ("s", TimeSpan.FromSeconds), ("m", TimeSpan.FromMinutes),
        ("h", TimeSpan.FromHours), ("d", TimeSpan.FromDays)
    ];

    public const string Expected = "a duration such as 90s, 2m, 1h or 00:02:00";

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        foreach (var (suffix, make) in Units)
        {
            if (!text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) continue;
            var number = text[..^suffix.Length].Trim();
            // "5m" ends with "m" but "5ms" was matched first, since "ms" precedes "m" in the table.
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0) return false;
            duration = make(value);
            return true;
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }

    /// <summary>A duration on a clock face, as m:ss or from an hour up h:mm:ss (progress lines; a bare mm:ss wraps every hour).</summary>
    public static string Clock(TimeSpan duration) => duration.TotalHours >= 1
        ? $"{(int)duration.TotalHours}:{duration:mm\\:ss}"
        : $"{(int)duration.TotalMinutes}:{duration:ss}";

    /// <summary>HOCON duration text ("1500ms") for Akka settings.</summary>
    public static string ToHocon(TimeSpan duration) => $"{(long)duration.TotalMilliseconds}ms";
}
