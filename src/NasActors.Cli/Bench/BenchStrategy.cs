using System.Globalization;
using NasActors.Core.Strategies;

namespace NasActors.Cli.Bench;

/// <summary>
/// A strategy as the bench runs it: its registry name, the parameters it gets (the bench's preset,
/// overridden by <c>name:key=value:…</c> on the command line) and whether isomorphic NB201 cells are
/// merged into one genotype (<c>merge_isomorphic=1</c>), so the search never pays twice for one network.
/// </summary>
public sealed record BenchStrategy(string Label, string Name, IReadOnlyDictionary<string, double> Parameters, bool MergeIsomorphic)
{
    public const string MergeKey = "merge_isomorphic";

    /// <summary>
    /// Presets for the NB201 protocol. The published baselines keep their papers' settings (REA: population 10,
    /// tournament 3; BOHB: its TPE-style model on the single fidelity the table records, 12 epochs, so that row is
    /// labelled "tpe-kde (bohb, one rung)"); `nsga2` ranks by the signal alone. Every other strategy runs at its
    /// registered defaults: REINFORCE's and MANAS's rewards are ranks, so their defaults hold on any objective; their
    /// step sizes were chosen by mean signal on seeds 1000–1199 (REINFORCE learning_rate among 0.1/0.2/0.5/1/2,
    /// MANAS learning_rate among 0.03/0.1/0.3/1), never on the report columns or the reported seeds (0–499).
    /// No preset merges isomorphic cells, so every row (and Optuna's, which cannot) searches the same 15,625 cells;
    /// <c>merge_isomorphic=1</c> turns it on for one row.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Presets =
        new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal)
        {
            ["evolution"] = new Dictionary<string, double> { ["population"] = 10, ["sample"] = 3 },
            ["bohb"] = new Dictionary<string, double> { ["min_epochs"] = 12, ["max_epochs"] = 12 },
            ["nsga2"] = new Dictionary<string, double> { ["single_objective"] = 1 },
            ["predictor"] = new Dictionary<string, double> { ["retrain_every"] = 10, ["pool_size"] = 300 },
        };

    /// <summary>Rows whose preset makes them something other than their registry name says.</summary>
    private static readonly IReadOnlyDictionary<string, string> PresetLabels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["bohb"] = "tpe-kde (bohb, one rung)",
        ["nsga2"] = "nsga2 (single objective)",
    };

    /// <summary>Reads <c>name[:key=value]*</c>; the label is the whole text, or what a bare name's preset makes it.</summary>
    public static BenchStrategy Parse(string text)
    {
        var parts = text.Split(':', StringSplitOptions.TrimEntries);
        var name = parts[0];
        if (!StrategyRegistry.TryGet(name, out var registration))
            throw new UsageException($"unknown strategy '{name}'; known: {string.Join(", ", StrategyRegistry.Names)}");
        var parameters = new Dictionary<string, double>(Presets.GetValueOrDefault(name) ?? new Dictionary<string, double>(), StringComparer.Ordinal);
        var merge = parameters.Remove(MergeKey, out var preset) ? preset : 0.0;
        foreach (var part in parts.Skip(1))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2 || !double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                throw new UsageException($"'{part}' in '{text}' should be key=number");
            if (kv[0] == MergeKey) merge = value;
            else if (registration.Parameters.All(p => p.Name != kv[0]))
                throw new UsageException($"strategy '{name}' has no parameter '{kv[0]}'; it takes: {string.Join(", ", registration.Parameters.Select(p => p.Name).Append(MergeKey))}");
            else parameters[kv[0]] = value;
        }
        var label = parts.Length == 1 && PresetLabels.TryGetValue(name, out var presetLabel) ? presetLabel : text;
        return new BenchStrategy(label, name, parameters, merge != 0);
    }

    public string Describe() =>
        string.Join(", ", Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value.ToString(CultureInfo.InvariantCulture)}")
            .Append(MergeIsomorphic ? "isomorphic cells merged" : "no isomorphism merging"));
}
