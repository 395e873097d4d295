using NasActors.Cli.Commands;
using ScottPlot;

namespace NasActors.Cli.Bench;

/// <summary>Mean incumbent quality against simulated time, one line per strategy (NasActors' and a peer's).</summary>
public static class MultiFidelityPlot
{
    public static string Write(IReadOnlyList<(string Strategy, int Run, IReadOnlyList<(double At, double Quality)> Anytime)> curves,
        IReadOnlyList<string> labels, double optimum, double horizon, string path, string title, int points = 200)
    {
        var plot = new Plot();
        var lows = new List<double>();
        foreach (var label in labels)
        {
            var mine = curves.Where(c => c.Strategy == label).ToArray();
            var xs = new List<double>();
            var ys = new List<double>();
            for (var p = 1; p <= points; p++)
            {
                var t = horizon * p / points;
                var values = mine.Select(c => BenchMultiFidelityCommand.At(c.Anytime, t)).Where(v => !double.IsNaN(v)).ToArray();
                // Plot only once most runs have an incumbent: a mean over a few early runs is noise.
                if (values.Length * 2 < mine.Length) continue;
                xs.Add(t);
                ys.Add(100 * values.Average());
            }
            if (xs.Count == 0) continue;
            var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray());
            line.LegendText = label;
            line.LineWidth = 2;
            lows.Add(ys[Math.Min(ys.Count - 1, ys.Count / 10)]);
        }
        var top = plot.Add.HorizontalLine(100 * optimum);
        top.LinePattern = LinePattern.Dashed;
        top.Color = Colors.Gray;
        top.LegendText = $"optimum {100 * optimum:0.00}";
        plot.Title(title);
        plot.XLabel("simulated seconds");
        plot.YLabel("mean incumbent quality (final val. accuracy, %)");
        plot.ShowLegend(Alignment.LowerRight);
        var bottom = lows.Count > 0 ? lows.Min() - 0.5 : 100 * optimum - 5;
        plot.Axes.SetLimits(0, horizon, bottom, 100 * optimum + 0.3);
        plot.SavePng(path, 900, 560);
        return path;
    }
}
