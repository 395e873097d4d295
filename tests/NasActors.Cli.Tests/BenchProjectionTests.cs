using System.Globalization;

namespace NasActors.Cli.Tests;

/// <summary>`nas bench projection` on a small scale: the real coordinator and simulated trainers on the virtual clock.</summary>
public sealed class BenchProjectionTests
{
    [Fact]
    public async Task Simulated_trainers_lose_no_time_to_the_protocol_and_the_table_says_so()
    {
        using var temp = new TempFolder();
        var output = Path.Combine(temp.Path, "projection.md");
        var result = await NasProcess.RunToEndAsync(temp.Path, TimeSpan.FromMinutes(3),
            "bench", "projection", "--trainers", "16", "--rounds", "3", "--trial-minutes", "10", "--out", output);

        Assert.True(result.ExitCode == 0, result.Output);
        var row = File.ReadAllLines(output).Single(l => l.StartsWith("| 16 |"));
        var cells = row.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("48", cells[1]); // trials = trainers × rounds, all completed
        var utilisation = Percent(cells[3]);
        var ideal = Percent(cells[4]);
        // Simulated time stands still while the coordinator works, so only the tail (stragglers of the last round) is lost.
        Assert.InRange(utilisation, ideal - 0.5, ideal + 1e-9);
        Assert.InRange(ideal, 80, 100);
        Assert.True(double.Parse(cells[5], CultureInfo.InvariantCulture) > 0, $"CPU per trial: {row}");
    }

    private static double Percent(string cell) => double.Parse(cell.TrimEnd('%', ' ').Replace(" ", ""), CultureInfo.InvariantCulture);
}
