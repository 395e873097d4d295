using System.Globalization;
using System.Text.RegularExpressions;

namespace NasActors.Cli.Tests;

/// <summary>
/// A multi-objective search through <c>nas run</c> and <c>nas status</c>: both print the hypervolume of the trials
/// with its reference point, and the value is the exact hypervolume of the Pareto front of the trials the search
/// recorded in its results.csv, computed here independently (inclusion–exclusion over the front's boxes).
/// Training is the seeded fake (NAS_FAULTS=fake), so the runs take seconds whatever the machine's load.
/// </summary>
public class HypervolumeRunTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    // Accuracy up, parameters down; the third case adds the validation loss (down), which the fake makes noisy in accuracy.
    private static readonly (string Metric, bool Maximise)[] TwoObjectives = [("val_accuracy", true), ("params", false)];
    private static readonly (string Metric, bool Maximise)[] ThreeObjectives = [.. TwoObjectives, ("val_loss", false)];

    [Theory]
    [InlineData("nsga2", 2)]
    [InlineData("parego", 3)]
    public async Task Run_and_status_print_the_exact_hypervolume_of_the_recorded_front_with_its_reference_point(string strategy, int count)
    {
        var objectives = count == 2 ? TwoObjectives : ThreeObjectives;
        using var temp = new TempFolder();
        var spec = TinySpecs.Digits(trials: 10, epochs: 1, strategy: strategy) + "\nobjectives:\n"
                   + string.Concat(objectives.Select(o => $"  - {{metric: {o.Metric}, direction: {(o.Maximise ? "maximise" : "minimise")}}}\n"));
        var output = await RunAsync(temp.Path, "run", temp.Write("multi.yaml", spec));
        var searchId = Directory.GetDirectories(Path.Combine(temp.Path, ".nas", "searches")).Select(Path.GetFileName).Single()!;

        var points = CompletedPoints(Path.Combine(temp.Path, ".nas", "searches", searchId, "results.csv"), objectives);
        Assert.Equal(10, points.Count);
        var reference = Reference(points);
        var expected = ExactHypervolume(Front(points), reference);
        Assert.True(expected > 0, "the fake's scores span every objective, so the front dominates a positive volume");

        foreach (var printed in new[] { output, await RunAsync(temp.Path, "status", searchId) })
        {
            var (value, coordinates) = Printed(printed, count);
            Assert.Equal(expected, value, Tolerance(expected));
            for (var j = 0; j < count; j++)
            {
                Assert.Equal(objectives[j].Metric, coordinates[j].Metric);
                Assert.Equal(objectives[j].Maximise ? "max" : "min", coordinates[j].Direction);
                // Printed in the objective's own units: a minimised objective's reference is its worst value plus the margin.
                var own = objectives[j].Maximise ? reference[j] : -reference[j];
                Assert.Equal(own, coordinates[j].Value, Tolerance(own));
            }
        }
    }

    private static async Task<string> RunAsync(string folder, params string[] args)
    {
        using var nas = NasProcess.Start(folder, new Dictionary<string, string> { ["NAS_FAULTS"] = "fake:50ms" }, args);
        var code = await nas.WaitForExitAsync(Timeout);
        Assert.True(code == 0, nas.Output);
        return nas.Output;
    }

    // The value is printed with 6 significant digits.
    private static double Tolerance(double value) => Math.Abs(value) * 1e-5 + 1e-12;

    /// <summary>
    /// "hypervolume … V (reference point: m1 r1 max, m2 r2 min…)" from the output; the console may wrap the line, so
    /// whitespace (line breaks included) is collapsed first.
    /// </summary>
    private static (double Value, (string Metric, double Value, string Direction)[] Reference) Printed(string output, int count)
    {
        var text = Regex.Replace(output, @"\s+", " ");
        var coordinate = @"(\S+) (\S+) (max|min)";
        var match = Regex.Match(text, @"hypervolume[^(]*? (\S+) \(reference point: " + string.Join(", ", Enumerable.Repeat(coordinate, count)) + @"\)");
        Assert.True(match.Success, output);
        var reference = Enumerable.Range(0, count).Select(j => (match.Groups[2 + 3 * j].Value,
            double.Parse(match.Groups[3 + 3 * j].Value, CultureInfo.InvariantCulture), match.Groups[4 + 3 * j].Value)).ToArray();
        return (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), reference);
    }

    /// <summary>Every completed trial's objectives as scores (larger is better: a minimised objective negated).</summary>
    private static List<double[]> CompletedPoints(string resultsCsv, (string Metric, bool Maximise)[] objectives)
    {
        var lines = File.ReadAllLines(resultsCsv);
        var header = lines[0].Split(',');
        var columns = objectives.Select(o => Array.IndexOf(header, o.Metric)).ToArray();
        Assert.DoesNotContain(-1, columns);
        // The architecture column is quoted and holds no comma (its decisions are joined with '|').
        return lines.Skip(1).Select(l => l.Split(',')).Where(c => c[1] == "Completed")
            .Select(c => objectives.Select((o, j) => (o.Maximise ? 1 : -1) * double.Parse(c[columns[j]], CultureInfo.InvariantCulture)).ToArray())
            .ToList();
    }

    /// <summary>The documented reference: per objective, the worst score less 10% of the scores' range (1 when it is empty).</summary>
    private static double[] Reference(List<double[]> points) => Enumerable.Range(0, points[0].Length).Select(j =>
    {
        var worst = points.Min(p => p[j]);
        var span = points.Max(p => p[j]) - worst;
        return worst - (span > 0 ? 0.1 * span : 1);
    }).ToArray();

    private static List<double[]> Front(List<double[]> points) =>
        points.Where(a => !points.Any(b => Dominates(b, a))).DistinctBy(p => string.Join(";", p)).ToList();

    private static bool Dominates(double[] b, double[] a) =>
        Enumerable.Range(0, a.Length).All(j => b[j] >= a[j]) && Enumerable.Range(0, a.Length).Any(j => b[j] > a[j]);

    /// <summary>
    /// The volume of the union of the boxes [reference, point] by inclusion–exclusion: the sum over every non-empty
    /// subset of the front of ±(volume of the box up to the subset's component-wise minimum). Exact for any dimension;
    /// fine for the few points of a tiny search.
    /// </summary>
    private static double ExactHypervolume(List<double[]> front, double[] reference)
    {
        Assert.InRange(front.Count, 1, 16);
        var volume = 0.0;
        for (var subset = 1; subset < 1 << front.Count; subset++)
        {
            var members = Enumerable.Range(0, front.Count).Where(i => (subset >> i & 1) == 1).Select(i => front[i]).ToArray();
            var box = Enumerable.Range(0, reference.Length).Aggregate(1.0, (v, j) => v * (members.Min(p => p[j]) - reference[j]));
            volume += members.Length % 2 == 1 ? box : -box;
        }
        return volume;
    }
}
