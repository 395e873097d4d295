using System.Diagnostics;
using System.Globalization;
using System.Text;
using NasActors.Cli.Bench;
using NasActors.Core.Benchmarks;

namespace NasActors.Cli.Commands;

/// <summary>
/// <c>nas bench nb201</c>: replays searches against the NAS-Bench-201 table through the real engine on
/// simulated time (see <see cref="Nb201Bench"/>), then prints and writes the summary table
/// (<c>OUT.md</c>), one row per run (<c>OUT/runs.csv</c>) and the anytime plots (<c>OUT/anytime-*.png</c>).
/// Never loads TorchSharp.
/// </summary>
public static class BenchCommand
{
    public const string DefaultData = "data/nb201/nb201_accuracy.csv";
    public const string DefaultStrategies = "random,evolution,reinforce,bohb";

    private static readonly HashSet<string> Valued =
    [
        "strategies", "runs", "budget-seconds", "budget-trials", "workers", "data", "seed", "out", "kill-rate",
        "signal", "cost", "report", "in-flight", "lease-seconds"
    ];

    public static async Task<int> ExecuteAsync(string[] words)
    {
        var args = new CliArguments(words, new HashSet<string>(), Valued);
        if (args.Single("benchmark (nb201)") != "nb201") throw new UsageException($"unknown benchmark '{args.Positional[0]}'; known: nb201");
        var strategies = (args.Value("strategies") ?? DefaultStrategies)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(BenchStrategy.Parse).ToArray();
        if (strategies.Select(s => s.Label).Distinct().Count() != strategies.Length) throw new UsageException("a strategy is listed twice");
        var budgetTrials = Int(args, "budget-trials", null, 1);
        var options = new BenchOptions(
            strategies,
            Runs: Int(args, "runs", 500, 1)!.Value,
            BudgetSeconds: Number(args, "budget-seconds", budgetTrials is null ? 12_000 : null, 1e-9),
            BudgetTrials: budgetTrials,
            Workers: Int(args, "workers", 1, 1)!.Value,
            KillRate: Number(args, "kill-rate", 0, 0, 0.9)!.Value,
            Seed: Int(args, "seed", 0, 0)!.Value,
            LeaseSeconds: Number(args, "lease-seconds", 300, 1e-3)!.Value,
            InFlight: Int(args, "in-flight", 4 * Environment.ProcessorCount * 8, 1)!.Value);
        var columns = new TabularColumns(
            args.Value("signal") ?? TabularColumns.DefaultSignal,
            args.Value("cost") ?? TabularColumns.DefaultCost,
            args.Value("report")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var dataPath = ResolveData(args.Value("data"));
        TabularBenchmark table;
        try
        {
            table = TabularBenchmark.Load(dataPath, columns);
        }
        catch (Exception e) when (e is FormatException or IOException or KeyNotFoundException)
        {
            throw new UsageException(e.Message);
        }
        var output = args.Value("out") ?? "bench/results/nb201";

        Console.WriteLine($"nb201 replay: {strategies.Length} strategies × {options.Runs} runs, budget {Budget(options)}, {options.Workers} worker(s)"
                          + (options.KillRate > 0 ? $", kill rate {options.KillRate}" : "") + $"; table {dataPath}");
        var clock = Stopwatch.StartNew();
        var lastPrint = TimeSpan.Zero;
        var runs = await new Nb201Bench(table, options).RunAsync((strategy, done) =>
        {
            if (done == options.Runs) Console.WriteLine($"  {strategy}: {done} runs done ({clock.Elapsed.TotalSeconds:0.0} s)");
        });
        var wall = clock.Elapsed;

        var labels = strategies.Select(s => s.Label).ToArray();
        var rows = BenchReport.Summarise(runs, labels, table.ReportColumns.Count);
        var markdown = BenchReport.Markdown(rows, table);
        Console.WriteLine();
        Console.Write(markdown);
        Console.WriteLine($"\nwall time {wall.TotalSeconds:0.0} s ({runs.Count} runs, {runs.Sum(r => r.Evaluations)} evaluations)");

        Directory.CreateDirectory(output);
        await File.WriteAllTextAsync(Path.Combine(output, "runs.csv"), BenchReport.Csv(runs, table));
        var horizon = options.BudgetSeconds ?? runs.Max(r => r.SimulatedSeconds);
        var plots = AnytimePlot.Write(runs, labels, table, horizon, output, $"NB201 replay, {options.Runs} runs, {options.Workers} worker(s)");
        var report = Document(words, options, strategies, table, markdown, wall, runs, output, plots);
        await File.WriteAllTextAsync(output + ".md", report);
        Console.WriteLine($"wrote {output}.md, {Path.Combine(output, "runs.csv")}, {string.Join(", ", plots)}");
        return ExitCodes.Done;
    }

    private static string Document(string[] words, BenchOptions options, IReadOnlyList<BenchStrategy> strategies, TabularBenchmark table,
        string markdown, TimeSpan wall, IReadOnlyList<BenchRun> runs, string output, IReadOnlyList<string> plots)
    {
        var folder = Path.GetFileName(Path.TrimEndingDirectorySeparator(output));
        var sb = new StringBuilder();
        sb.Append("# NAS-Bench-201 replay\n\n");
        sb.Append("Produced by (from the repository root):\n\n```\n")
            .Append("dotnet run -c Release --project src/NasActors.Cli -- bench ").AppendJoin(' ', words).Append("\n```\n\n");
        sb.Append($"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription.Trim()}, ")
            .Append($".NET {Environment.Version}. Wall time: {wall.TotalSeconds:0.0} s for {runs.Count} runs ({runs.Sum(r => r.Evaluations)} evaluations).\n\n");
        sb.Append($"Protocol: each run searches on `{table.Columns.Signal}`, pays `{table.Columns.Cost}` simulated seconds per evaluation, ")
            .Append($"budget {Budget(options)}, {options.Workers} simulated trainer(s)")
            .Append(options.KillRate > 0 ? $", trainers die during {options.KillRate:P0} of trials (leases of {options.LeaseSeconds} s expire, trials are re-issued)" : "")
            .Append(". Each row: mean ± std over runs of the report columns of the architecture with the best signal found within the budget, ")
            .Append("and the mean number of evaluations. Every run goes through the real engine: a persistent `SearchCoordinator` (in-memory journal) ")
            .Append("on a virtual clock, with simulated trainers speaking its protocol. Runs use seeds ")
            .Append($"{options.Seed}..{options.Seed + options.Runs - 1}, the same for every strategy.\n\n");
        sb.Append(markdown).Append('\n');
        if (table.Columns.Signal == TabularColumns.DefaultSignal && table.ReportColumns.Any(c => c.Name == "c10"))
            sb.Append("Published (NAS-Bench-201 paper, Table 5, 500 runs; test accuracy CIFAR-10 / CIFAR-100): REA 93.92±0.30 / 71.84±0.99, ")
                .Append("REINFORCE 93.85±0.37 / 71.71±1.09, RS 93.70±0.36 / 71.04±1.07, BOHB 93.61±0.52 / 70.85±1.28; optimum 94.37 / 73.51. ")
                .Append("The table holds seed means, so faithful reproductions land slightly above the paper.\n\n");
        sb.Append("Strategy settings:\n\n");
        foreach (var s in strategies) sb.Append($"- `{s.Label}`: {s.Describe()}\n");
        sb.Append($"\nPer-run results: [{folder}/runs.csv]({folder}/runs.csv). Anytime (mean best-so-far report value against simulated time):\n\n");
        foreach (var plot in plots) sb.Append($"![{Path.GetFileNameWithoutExtension(plot)}]({folder}/{Path.GetFileName(plot)})\n");
        return sb.ToString();
    }

    private static string Budget(BenchOptions o) =>
        string.Join(" and ", new[]
        {
            o.BudgetSeconds is { } s ? $"{s.ToString(CultureInfo.InvariantCulture)} simulated seconds" : null,
            o.BudgetTrials is { } t ? $"{t} trials" : null
        }.Where(x => x is not null));

    /// <summary>The given path, else the default one from here or from any folder above (a checkout run from a subfolder).</summary>
    private static string ResolveData(string? given)
    {
        if (given is not null) return File.Exists(given) ? given : throw new UsageException($"no benchmark table at '{given}'");
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, DefaultData))) return Path.Combine(dir.FullName, DefaultData);
        throw new UsageException($"no benchmark table at '{DefaultData}' (run from the repository, or pass --data)");
    }

    private static int? Int(CliArguments args, string name, int? fallback, int min) =>
        args.Value(name) is not { } text ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min ? v
        : throw new UsageException($"--{name} must be an integer ≥ {min}, got '{text}'");

    private static double? Number(CliArguments args, string name, double? fallback, double min, double max = double.MaxValue) =>
        args.Value(name) is not { } text ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v
        : throw new UsageException($"--{name} must be a number in [{min}, {max}], got '{text}'");
}
