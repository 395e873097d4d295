using System.Globalization;
using Xunit.Abstractions;

namespace NasActors.Core.Tests.Strategies.Smoke;

/// <summary>
/// Runs every smoke entry and prints the median best-found signal per strategy: the table in
/// docs/STRATEGIES.md is this output of
/// <c>dotnet test tests/NasActors.Core.Tests --filter Nb201SmokeReport --logger "console;verbosity=detailed"</c>.
/// </summary>
[Collection(Nb201SmokeCollection.Name)]
public sealed class Nb201SmokeReport(Nb201SmokeFixture smoke, ITestOutputHelper output)
{
    [Fact]
    public void Every_registered_strategy_finishes_the_smoke_and_its_median_is_reported()
    {
        var random = smoke.Median("random");
        output.WriteLine($"median best {Nb201SearchSignal.Column} (%) after {Nb201SmokeFixture.Evaluations} evaluations, seeds 1-{Nb201SmokeFixture.Seeds.Count}; table best {Pct(smoke.Signal.Best)}");
        output.WriteLine("| strategy | median | vs random | settings |");
        output.WriteLine("|---|---|---|---|");
        foreach (var entry in Nb201SmokeFixture.Entries)
        {
            var bests = smoke.BestFound(entry.Label);
            var median = smoke.Median(entry.Label);
            output.WriteLine($"| {entry.Label} | {Pct(median)} | {(median - random) * 100:+0.000;-0.000;0.000} | {(entry.Note.Length > 0 ? entry.Note : "defaults")} |");
            Assert.Equal(Nb201SmokeFixture.Seeds.Count, bests.Count);
            // Every best is a cell of the table, so none can beat the table's best.
            Assert.All(bests, b => Assert.InRange(b, 0, smoke.Signal.Best));
        }
    }

    private static string Pct(double fraction) => (fraction * 100).ToString("0.000", CultureInfo.InvariantCulture);
}
