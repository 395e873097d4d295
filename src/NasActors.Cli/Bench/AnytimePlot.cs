using NasActors.Core.Benchmarks;
using ScottPlot;

namespace NasActors.Cli.Bench;

/// <summary>
/// Mean best-so-far report value against simulated time, one line per strategy: at each time, each
/// run's value is the report value of the best-signal architecture it had found by then (runs that had
/// found nothing yet are left out of the mean).
/// </summary>
public static class AnytimePlot
{
    public static IReadOnlyList<(double Time, double Mean)> Curve(IEnumerable<BenchRun> runs, int column, double horizon, int points = 240)
    {
        var list = runs.ToArray();
        var curve = new List<(double, double)>();
        for (var p = 1; p <= points; p++)
        {
            var t = horizon * p / points;
            double sum = 0;
            var n = 0;
            foreach (var run in list)
            {
                double[]? value = null;
                foreach (var (at, report) in run.Anytime)
                {
                    if (at > t) break;
                    value = report;
                }
                if (value is null) continue;
                sum += value[column];
                n++;
            }
            if (n > 0) curve.Add((t, sum / n));
        }
        return curve;
    }

    /// <summary>Writes one PNG per report column; returns the paths.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<BenchRun> runs, IReadOnlyList<string> strategies, TabularBenchmark table,
        double horizon, string folder, string title)
    {
        var paths = new List<string>();
        for (var c = 0; c < table.ReportColumns.Count; c++)
        {
            var plot = new Plot();
            var lows = new List<double>();
            foreach (var strategy in strategies)
            {
                var curve = Curve(runs.Where(r => r.Strategy == strategy), c, horizon);
                if (curve.Count == 0) continue;
                var line = plot.Add.ScatterLine(curve.Select(p => p.Time).ToArray(), curve.Select(p => p.Mean).ToArray());
                line.LegendText = strategy;
                line.LineWidth = 2;
                lows.Add(curve[Math.Min(curve.Count - 1, curve.Count / 6)].Mean);
            }
            var column = table.ReportColumns[c];
            var optimum = table.ReportOptimum()[c];
            var top = plot.Add.HorizontalLine(optimum);
            top.LinePattern = LinePattern.Dashed;
            top.Color = Colors.Gray;
            top.LegendText = $"optimum {optimum:0.00}";
            plot.Title($"{title}: {column.Name}");
            plot.XLabel("simulated seconds");
            plot.YLabel($"mean best-so-far {column.Column}");
            plot.ShowLegend(Alignment.LowerRight);
            // Start the y axis where the curves have settled a little: the first minutes would squash the rest.
            var bottom = lows.Count > 0 ? lows.Min() - 0.3 : optimum - 5;
            plot.Axes.SetLimits(0, horizon, bottom, optimum + 0.2);
            var path = Path.Combine(folder, $"anytime-{column.Name}.png");
            plot.SavePng(path, 900, 560);
            paths.Add(path);
        }
        return paths;
    }
}
