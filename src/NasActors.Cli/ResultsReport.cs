using System.Globalization;
using System.Text;
using System.Text.Json;
using NasActors.Engine.Searches;
using Spectre.Console;

namespace NasActors.Cli;

/// <summary>
/// The end of a search: the results table on the terminal, and under
/// &lt;store&gt;/searches/&lt;id&gt;/ the ledger (results.csv), best.json and the best model's weights (best.pt).
/// </summary>
public static class ResultsReport
{
    private const int TableRows = 10;

    public static int Show(string folder, SearchStatus status)
    {
        var completed = (status.Trials ?? []).Where(t => t.State == TrialState.Completed)
            .OrderByDescending(t => t.Objective).ThenBy(t => t.TrialId).ToArray();
        var table = new Table().Title($"search {status.SearchId}: {status.Completed}/{status.Budget} trials{CachedNote(status)}")
            .AddColumns("rank", "trial", "architecture", "val acc", "params", "MFLOPs", "latency ms", "seconds");
        foreach (var (trial, rank) in completed.Take(TableRows).Select((t, i) => (t, i + 1)))
            table.AddRow(rank.ToString(), trial.TrialId.ToString(), Markup.Escape(trial.Architecture),
                trial.Metrics!.ValidationAccuracy.ToString("F4"), trial.Metrics.Parameters.ToString("N0"),
                Extra(trial.Metrics, "flops") is { } flops ? (flops / 1e6).ToString("F2") : "",
                Extra(trial.Metrics, "latency_ms_b1") is { } latency ? latency.ToString("F2") : "",
                trial.Metrics.Seconds.ToString("F1"));
        AnsiConsole.Write(table);

        Directory.CreateDirectory(folder);
        WriteLedger(Path.Combine(folder, "results.csv"), status);
        if (status.Best is { } best)
        {
            File.WriteAllText(Path.Combine(folder, "best.json"), JsonSerializer.Serialize(new
            {
                search = status.SearchId.Value, trial = best.TrialId, architecture = best.Architecture,
                objective = best.Objective, metrics = best.Metrics
            }, new JsonSerializerOptions { WriteIndented = true }));
            if (Weights(Path.Combine(folder, "trials"), best) is { } weights) File.Copy(weights, Path.Combine(folder, "best.pt"), overwrite: true);
        }
        if (status.MeasuredHypervolume() is { } hypervolume)
            AnsiConsole.MarkupLine($"hypervolume of the feasible front: [bold]{Markup.Escape(hypervolume.Describe())}[/] (each reference coordinate lies beyond the worst value by 10% of its range)");
        AnsiConsole.MarkupLine($"results: [bold]{Markup.Escape(folder)}[/] (best.json, best.pt, results.csv)");
        if (status.Phase == SearchPhase.Cancelled)
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(status.Message ?? "cancelled")}[/]");
        if (status.Phase == SearchPhase.Failed)
        {
            AnsiConsole.MarkupLine($"[red]search failed:[/] {Markup.Escape(status.Message ?? "")}");
            return ExitCodes.SearchFailed;
        }
        return ExitCodes.Done;
    }

    /// <summary>
    /// A trial's weights: those of the attempt whose result counted (named by its lease epoch, TrialArtifacts),
    /// else the name stores used before lease epochs.
    /// </summary>
    public static string? Weights(string trialsDirectory, TrialView trial) =>
        NasActors.Core.Trials.TrialArtifacts.FindWeights(trialsDirectory, trial.TrialId, trial.LeaseEpoch);

    private static void WriteLedger(string path, SearchStatus status)
    {
        // Extra metrics (flops, latency, per-epoch curves...) become columns after the fixed ones, in name order.
        var extras = (status.Trials ?? []).SelectMany(t => t.Metrics?.Extra?.Keys ?? []).Distinct().Order(StringComparer.Ordinal).ToArray();
        // cached_from: the trial whose evaluation answered this row (budget.cache); empty for a row that trained.
        var csv = new StringBuilder("trial,state,leases,architecture,objective,val_accuracy,val_loss,params,seconds,cached_from");
        foreach (var name in extras) csv.Append(',').Append(name);
        csv.Append('\n');
        foreach (var t in status.Trials ?? [])
            csv.AppendLine(string.Join(",", [t.TrialId.ToString(CultureInfo.InvariantCulture), t.State.ToString(), t.Leases.ToString(CultureInfo.InvariantCulture), $"\"{t.Architecture}\"",
                Num(t.Objective), Num(t.Metrics?.ValidationAccuracy), Num(t.Metrics?.ValidationLoss),
                t.Metrics?.Parameters.ToString(CultureInfo.InvariantCulture) ?? "", Num(t.Metrics?.Seconds),
                t.CachedFrom?.ToString(CultureInfo.InvariantCulture) ?? "",
                .. extras.Select(name => Num(t.Metrics is null ? null : Extra(t.Metrics, name)))]));
        File.WriteAllText(path, csv.ToString());
    }

    /// <summary>", 3 more answered from the ledger (budget.cache)", or nothing when no trial was.</summary>
    public static string CachedNote(SearchStatus status) => CachedNote(status.Cached);

    public static string CachedNote(int cached) => cached > 0 ? $", {cached} more answered from the ledger (budget.cache)" : "";

    private static double? Extra(NasActors.Core.Trials.TrialMetrics metrics, string name) =>
        metrics.Extra is not null && metrics.Extra.TryGetValue(name, out var value) ? value : null;

    private static string Num(double? d) => d?.ToString("R", CultureInfo.InvariantCulture) ?? "";
}
