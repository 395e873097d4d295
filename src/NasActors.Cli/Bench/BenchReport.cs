using System.Globalization;
using System.Text;
using NasActors.Core.Benchmarks;

namespace NasActors.Cli.Bench;

/// <summary>Per-strategy summary (mean ± std over runs) as a markdown table, and the per-run CSV.</summary>
public static class BenchReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public sealed record Row(string Strategy, double[] Mean, double[] Std, double SignalMean, double SignalStd, double Evaluations, int Runs);

    public static IReadOnlyList<Row> Summarise(IReadOnlyList<BenchRun> runs, IReadOnlyList<string> strategies, int columns) =>
        strategies.Select(s =>
        {
            var mine = runs.Where(r => r.Strategy == s).ToArray();
            var mean = Enumerable.Range(0, columns).Select(c => mine.Average(r => r.Report[c])).ToArray();
            var std = Enumerable.Range(0, columns).Select(c => Std(mine.Select(r => r.Report[c]))).ToArray();
            return new Row(s, mean, std, mine.Average(r => r.Signal), Std(mine.Select(r => r.Signal)), mine.Average(r => r.Evaluations), mine.Length);
        }).ToArray();

    public static string Markdown(IReadOnlyList<Row> rows, TabularBenchmark table)
    {
        var sb = new StringBuilder();
        var reports = table.ReportColumns;
        sb.Append("| strategy | ").AppendJoin(" | ", reports.Select(c => $"{c.Name} (`{c.Column}`)"))
            .Append($" | signal (`{table.Columns.Signal}`) | evaluations | runs |\n");
        sb.Append("|---|").AppendJoin("", reports.Select(_ => "---:|")).Append("---:|---:|---:|\n");
        foreach (var row in rows)
            sb.Append($"| {row.Strategy} | ")
                .AppendJoin(" | ", row.Mean.Select((m, i) => $"{F(m)} ± {F(row.Std[i])}"))
                .Append($" | {F(row.SignalMean)} ± {F(row.SignalStd)} | {row.Evaluations.ToString("0.0", Invariant)} | {row.Runs} |\n");
        sb.Append("| *optimum of the table* | ").AppendJoin(" | ", table.ReportOptimum().Select(F)).Append(" | | | |\n");
        return sb.ToString();
    }

    public static string Csv(IReadOnlyList<BenchRun> runs, TabularBenchmark table)
    {
        var sb = new StringBuilder();
        sb.Append("strategy,run,seed,index,arch,signal,evaluations,simulated_seconds,deaths,reissued_leases,")
            .AppendJoin(',', table.ReportColumns.Select(c => c.Name)).Append('\n');
        foreach (var r in runs.OrderBy(r => r.Strategy, StringComparer.Ordinal).ThenBy(r => r.Run))
            sb.Append($"{Quote(r.Strategy)},{r.Run},{r.Seed},{r.Index},{r.Architecture},{r.Signal.ToString("0.####", Invariant)},{r.Evaluations},")
                .Append($"{r.SimulatedSeconds.ToString("0.###", Invariant)},{r.Deaths},{r.ReissuedLeases},")
                .AppendJoin(',', r.Report.Select(v => v.ToString("0.####", Invariant))).Append('\n');
        return sb.ToString();
    }

    private static string Quote(string s) => s.Contains(',') ? $"\"{s}\"" : s;

    private static string F(double v) => v.ToString("0.00", Invariant);

    private static double Std(IEnumerable<double> values)
    {
        var v = values.ToArray();
        if (v.Length < 2) return 0;
        var mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
    }
}
