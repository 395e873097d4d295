using System.Globalization;
using nietras.SeparatedValues;
using NasActors.Core.Trials;

namespace NasActors.Core.Specs;

/// <summary>
/// Reads known results from a results.csv (the columns <c>nas run</c> writes: trial, state, leases, architecture,
/// objective, val_accuracy, val_loss, params, seconds, cached_from, then one column per extra metric). Rows whose <c>state</c> is
/// not Completed are skipped, and so are rows answered from the ledger (<c>cached_from</c> set: a repeat of another row);
/// a completed row needs every fixed metric as a number. Errors name the file, line and column.
/// </summary>
public static class KnownResultsCsv
{
    private static readonly string[] Required = ["architecture", "val_accuracy", "val_loss", "params", "seconds"];
    private static readonly HashSet<string> NotMetrics = ["trial", "state", "leases", "architecture", "objective", "cached_from", .. Required];

    public static IReadOnlyList<KnownResult> Read(string path)
    {
        if (!File.Exists(path)) throw new SpecException($"warm_start results file '{path}' does not exist");
        using var reader = Sep.New(',').Reader(o => o with { HasHeader = true, Unescape = true }).FromFile(path);
        var header = reader.Header.ColNames;
        if (Required.FirstOrDefault(c => !header.Contains(c)) is { } missing)
            throw new SpecException($"{path}:1: expected a results.csv header with the columns {string.Join(", ", Required)}; '{missing}' is missing");
        var extras = header.Where(c => !NotMetrics.Contains(c)).ToArray();
        var known = new List<KnownResult>();
        foreach (var row in reader)
        {
            var line = row.LineNumberFrom;
            var cells = header.ToDictionary(c => c, c => "");
            foreach (var column in header) cells[column] = row[column].ToString().Trim();
            if (header.Contains("state") && cells["state"] != "Completed") continue;
            if (header.Contains("cached_from") && cells["cached_from"].Length > 0) continue;
            double Number(string column)
            {
                var cell = cells[column];
                return double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
                    ? value
                    : throw new SpecException($"{path}:{line}: column '{column}': expected a finite number, got '{cell}'");
            }
            var extra = extras.Where(c => cells[c].Length > 0).ToDictionary(c => c, Number);
            var metrics = new TrialMetrics(Number("val_accuracy"), Number("val_loss"), (long)Number("params"), Number("seconds"), extra.Count > 0 ? extra : null);
            var architecture = cells["architecture"];
            if (architecture.Length == 0) throw new SpecException($"{path}:{line}: column 'architecture': empty");
            known.Add(new KnownResult(architecture, metrics));
        }
        return known;
    }
}
