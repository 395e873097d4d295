using System.Globalization;

namespace NasActors.Engine.Trainers.FaultInjection;

/// <summary>What an injected fault does to the trial it is aimed at.</summary>
public enum FaultKind
{
    /// <summary>The trial "trains" and reports a NaN validation loss.</summary>
    Nan,
    /// <summary>The evaluator throws.</summary>
    Throw,
    /// <summary>Every attempt blocks forever and ignores cancellation, like a native call that never returns.</summary>
    Hang,
    /// <summary>Only the first attempt hangs (attempts are counted in a file under the store, across restarts).</summary>
    HangOnce,
    /// <summary>Every attempt SIGKILLs the whole process mid-trial: a poison trial.</summary>
    Kill
}

/// <summary>
/// The faults a testing run injects, read from the <c>NAS_FAULTS</c> environment variable (never from
/// a spec): a comma- or space-separated list of <c>kind@trial</c> entries — <c>nan@3</c>, <c>throw@4</c>,
/// <c>hang@5</c>, <c>hang-once@5</c>, <c>kill@7</c> — and optionally <c>fake:200ms</c>, which replaces real
/// training with a fast seeded fake (<c>fake:2s..4s</c>: each trial's duration drawn from that range by its seed, so
/// trainers that started together do not stay in step). Faults are aimed by trial id, which is stable across restarts.
/// </summary>
public sealed record FaultPlan(IReadOnlyDictionary<int, FaultKind> Faults, TimeSpan? FakeDuration)
{
    /// <summary>The longest fake duration of a range (<c>fake:2s..4s</c>); null: every trial takes <see cref="FakeDuration"/>.</summary>
    public TimeSpan? FakeDurationMax { get; init; }

    public const string EnvironmentVariable = "NAS_FAULTS";
    public static readonly TimeSpan DefaultFakeDuration = TimeSpan.FromMilliseconds(200);

    private static readonly Dictionary<string, FaultKind> Kinds = new()
    {
        ["nan"] = FaultKind.Nan,
        ["throw"] = FaultKind.Throw,
        ["hang"] = FaultKind.Hang,
        ["hang-once"] = FaultKind.HangOnce,
        ["kill"] = FaultKind.Kill
    };

    private const string Expected = "expected entries like fake:200ms, fake:2s..4s, nan@3, throw@4, hang@5, hang-once@5, kill@7";

    public static FaultPlan None { get; } = new(new Dictionary<int, FaultKind>(), null);

    public bool IsEmpty => Faults.Count == 0 && FakeDuration is null;

    public FaultKind? For(int trialId) => Faults.TryGetValue(trialId, out var kind) ? kind : null;

    /// <exception cref="FormatException">One line naming the entry and what was expected.</exception>
    public static FaultPlan Parse(string? text)
    {
        var faults = new Dictionary<int, FaultKind>();
        TimeSpan? fake = null;
        TimeSpan? fakeMax = null;
        foreach (var entry in (text ?? "").Split([',', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (entry == "fake" || entry.StartsWith("fake:", StringComparison.Ordinal))
            {
                if (fake is not null) throw Error(entry, "fake is given twice");
                var range = entry == "fake" ? [] : entry["fake:".Length..].Split("..");
                fake = entry == "fake" ? DefaultFakeDuration : ParseDuration(entry, range[0]);
                if (range.Length > 2) throw Error(entry, "a range has two ends (fake:2s..4s)");
                fakeMax = range.Length == 2 ? ParseDuration(entry, range[1]) : null;
                if (fakeMax < fake) throw Error(entry, "the range's second end must not be shorter than its first (fake:2s..4s)");
                continue;
            }
            var at = entry.IndexOf('@');
            if (at < 0 || !Kinds.TryGetValue(entry[..at], out var kind)) throw Error(entry, "unknown fault");
            if (!int.TryParse(entry[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var trialId) || trialId < 1)
                throw Error(entry, "the trial id after '@' must be a whole number ≥ 1");
            if (!faults.TryAdd(trialId, kind)) throw Error(entry, $"trial {trialId} already has a fault ({Name(faults[trialId])})");
        }
        return new FaultPlan(faults, fake) { FakeDurationMax = fakeMax };
    }

    public override string ToString() =>
        string.Join(",", (FakeDuration is { } d ? [$"fake:{d.TotalMilliseconds:0}ms" + (FakeDurationMax is { } max ? $"..{max.TotalMilliseconds:0}ms" : "")] : Array.Empty<string>())
            .Concat(Faults.OrderBy(f => f.Key).Select(f => $"{Name(f.Value)}@{f.Key}")));

    private static string Name(FaultKind kind) => Kinds.First(k => k.Value == kind).Key;

    private static TimeSpan ParseDuration(string entry, string text)
    {
        var (number, scale) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1.0)
            : text.EndsWith('s') ? (text[..^1], 1000.0)
            : throw Error(entry, "the fake's duration needs a unit: ms or s (fake:200ms, fake:1.5s)");
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            throw Error(entry, "the fake's duration is not a number (fake:200ms, fake:1.5s)");
        return TimeSpan.FromMilliseconds(value * scale);
    }

    private static FormatException Error(string entry, string problem) =>
        new($"{EnvironmentVariable}: '{entry}': {problem}; {Expected}");
}
