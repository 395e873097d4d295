namespace NasActors.Cli.Tests;

/// <summary>
/// <c>warm_start:</c> and <c>enqueue:</c> through <c>nas run</c>: a second search learns from the first one's results.csv
/// (or from the first search in the same store) and trains an enqueued architecture as its first trial.
/// </summary>
public class WarmStartRunTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    private static string Spec(string name, string extra) =>
        TinySpecs.Digits(trials: 3, epochs: 2, strategy: "tpe").Replace("name: tiny", $"name: {name}") + "\n" + extra + "\n";

    /// <summary>The data rows of a results.csv: trial number → architecture.</summary>
    private static Dictionary<int, string> Architectures(string resultsCsv) =>
        File.ReadAllLines(resultsCsv).Skip(1).Select(l => l.Split(',')).ToDictionary(c => int.Parse(c[0]), c => c[3].Trim('"'));

    [Fact]
    public async Task A_search_learns_from_an_earlier_ones_results_and_trains_the_enqueued_architecture_first()
    {
        using var temp = new TempFolder();
        var (code, output) = await NasProcess.RunAsync(temp.Path, Timeout, "run", temp.Write("earlier.yaml", Spec("earlier", "")));
        Assert.True(code == 0, output);
        var earlierId = Directory.GetDirectories(Path.Combine(temp.Path, ".nas", "searches")).Select(Path.GetFileName).Single()!;
        var earlierResults = Path.Combine(temp.Path, ".nas", "searches", earlierId, "results.csv");
        var enqueued = Architectures(earlierResults)[2];

        var warmSpec = temp.Write("warm.yaml", Spec("warm", $"warm_start: {{results: '{earlierResults}'}}\nenqueue: ['{enqueued}']"));
        (code, output) = await NasProcess.RunAsync(temp.Path, Timeout, "run", warmSpec);
        Assert.True(code == 0, output);
        Assert.Contains("warm start: the strategy learned 3 known results from", output);
        Assert.Contains("enqueued: the first 1 trial(s) train the spec's architectures", output);
        var warmId = Directory.GetDirectories(Path.Combine(temp.Path, ".nas", "searches")).Select(Path.GetFileName).Single(id => id!.StartsWith("warm-"))!;
        var warmTrials = Architectures(Path.Combine(temp.Path, ".nas", "searches", warmId, "results.csv"));
        Assert.Equal(enqueued, warmTrials[1]);
        Assert.Equal(3, warmTrials.Count); // known results are not trials of this search

        // Run again: the id names the source, so the same search is found (finished), not a new one.
        (code, output) = await NasProcess.RunAsync(temp.Path, Timeout, "run", warmSpec);
        Assert.True(code == 0, output);
        Assert.Contains($"search {warmId} already ran", output);

        // The earlier search by id, from the same store.
        (code, output) = await NasProcess.RunAsync(temp.Path, Timeout, "run", temp.Write("by-id.yaml", Spec("byid", $"warm_start: {{search: {earlierId}}}")));
        Assert.True(code == 0, output);
        Assert.Contains($"warm start: the strategy learned 3 known results from search '{earlierId}'", output);
    }
}
