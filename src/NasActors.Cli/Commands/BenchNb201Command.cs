using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using NasActors.Cli.Bench;
using NasActors.Core.Benchmarks;
using Spectre.Console.Cli;

namespace NasActors.Cli.Commands;

/// <summary>
/// <c>nas bench nb201</c>: replays searches against the NAS-Bench-201 table through the real engine on
/// simulated time (see <see cref="Nb201Bench"/>), then prints and writes the summary table
/// (<c>OUT.md</c>), one row per run (<c>OUT/runs.csv</c>) and the anytime plots (<c>OUT/anytime-*.png</c>).
/// Never loads TorchSharp. Strategies that cannot run on the table's single fidelity are refused first.
/// </summary>
public sealed class BenchNb201Command : AsyncCommand<BenchNb201Command.Settings>
{
    public const string DefaultData = "data/nb201/nb201_accuracy.csv";
    public const string DefaultStrategies = "random,evolution,reinforce,bohb";

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--strategies <LIST>")]
        [Description("comma-separated strategies, each name[[:key=value]]* (e.g. evolution:population=20)")]
        [DefaultValue(DefaultStrategies)]
        public string Strategies { get; set; } = DefaultStrategies;

        [CommandOption("--runs <N>")] [Description("runs per strategy")] [DefaultValue(500)]
        public int Runs { get; set; } = 500;

        [CommandOption("--budget-seconds <S>")] [Description("simulated seconds per run (default 12000 unless --budget-trials)")]
        public double? BudgetSeconds { get; set; }

        [CommandOption("--budget-trials <T>")] [Description("trials per run")]
        public int? BudgetTrials { get; set; }

        [CommandOption("--workers <W>")] [Description("simulated trainers")] [DefaultValue(1)]
        public int Workers { get; set; } = 1;

        [CommandOption("--kill-rate <R>")] [Description("fraction of trials during which a trainer dies (0..0.9)")] [DefaultValue(0.0)]
        public double KillRate { get; set; }

        [CommandOption("--seed <S>")] [Description("seed of the first run")] [DefaultValue(0)]
        public int Seed { get; set; }

        [CommandOption("--lease-seconds <S>")] [Description("simulated lease length")] [DefaultValue(300.0)]
        public double LeaseSeconds { get; set; } = 300;

        [CommandOption("--in-flight <N>")] [Description("runs replayed at once")]
        public int? InFlight { get; set; }

        [CommandOption("--data <CSV>")] [Description($"the benchmark table (default {DefaultData})")]
        public string? Data { get; set; }

        [CommandOption("--signal <COL>")] [Description("column the search sees")]
        public string? Signal { get; set; }

        [CommandOption("--cost <COL>")] [Description("column of simulated seconds per evaluation")]
        public string? Cost { get; set; }

        [CommandOption("--report <COLS>")] [Description("comma-separated columns reported for the chosen architecture")]
        public string? Report { get; set; }

        [CommandOption("--out <PATH>")] [Description("report path without extension: writes PATH.md and PATH/")] [DefaultValue("bench/results/nb201")]
        public string Out { get; set; } = "bench/results/nb201";

        public override Spectre.Console.ValidationResult Validate() =>
            Runs < 1 ? Spectre.Console.ValidationResult.Error("--runs must be at least 1")
            : Workers < 1 ? Spectre.Console.ValidationResult.Error("--workers must be at least 1")
            : BudgetTrials is < 1 ? Spectre.Console.ValidationResult.Error("--budget-trials must be at least 1")
            : BudgetSeconds is <= 0 ? Spectre.Console.ValidationResult.Error("--budget-seconds must be positive")
            : KillRate is < 0 or > 0.9 ? Spectre.Console.ValidationResult.Error("--kill-rate must be in [0, 0.9]")
            : Seed < 0 ? Spectre.Console.ValidationResult.Error("--seed must be 0 or more")
            : LeaseSeconds <= 0 ? Spectre.Console.ValidationResult.Error("--lease-seconds must be positive")
            : InFlight is < 1 ? Spectre.Console.ValidationResult.Error("--in-flight must be at least 1")
            : Spectre.Console.ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var words = context.Arguments.SkipWhile(a => a != "nb201").ToArray();
        var strategies = settings.Strategies
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(BenchStrategy.Parse).ToArray();
        if (strategies.Length == 0) throw new UsageException("--strategies lists no strategy");
        if (strategies.Select(s => s.Label).Distinct().Count() != strategies.Length) throw new UsageException("a strategy is listed twice");
        BenchFidelity.RefuseUnrunnable(strategies, Nb201Bench.TableEpochs);
        var options = new BenchOptions(
            strategies,
            Runs: settings.Runs,
            BudgetSeconds: settings.BudgetSeconds ?? (settings.BudgetTrials is null ? 12_000 : null),
            BudgetTrials: settings.BudgetTrials,
            Workers: settings.Workers,
            KillRate: settings.KillRate,
            Seed: settings.Seed,
            LeaseSeconds: settings.LeaseSeconds,
            InFlight: settings.InFlight ?? 4 * Environment.ProcessorCount * 8);
        var columns = new TabularColumns(
            settings.Signal ?? TabularColumns.DefaultSignal,
            settings.Cost ?? TabularColumns.DefaultCost,
            settings.Report?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var dataPath = ResolveData(settings.Data);
        TabularBenchmark table;
        try
        {
            table = TabularBenchmark.Load(dataPath, columns);
        }
        catch (Exception e) when (e is FormatException or IOException or KeyNotFoundException)
        {
            throw new UsageException(e.Message);
        }
        var output = settings.Out;

        Console.WriteLine($"nb201 replay: {strategies.Length} strategies × {options.Runs} runs, budget {Budget(options)}, {options.Workers} worker(s)"
                          + (options.KillRate > 0 ? $", kill rate {options.KillRate}" : "") + $"; table {dataPath}");
        var clock = Stopwatch.StartNew();
        var runs = await new Nb201Bench(table, options).RunAsync((strategy, done) =>
        {
            if (done == options.Runs) Console.WriteLine($"  {strategy}: {done} runs done ({clock.Elapsed.TotalSeconds:0.0} s)");
        }, cancellationToken);
        var wall = clock.Elapsed;

        var labels = strategies.Select(s => s.Label).ToArray();
        var rows = BenchReport.Summarise(runs, labels, table.ReportColumns.Count);
        var markdown = BenchReport.Markdown(rows, table);
        Console.WriteLine();
        Console.Write(markdown);
        Console.WriteLine($"\nwall time {wall.TotalSeconds:0.0} s ({runs.Count} runs, {runs.Sum(r => r.Evaluations)} evaluations)");

        Directory.CreateDirectory(output);
        await File.WriteAllTextAsync(Path.Combine(output, "runs.csv"), BenchReport.Csv(runs, table), cancellationToken);
        var horizon = options.BudgetSeconds ?? runs.Max(r => r.SimulatedSeconds);
        var plots = AnytimePlot.Write(runs, labels, table, horizon, output, $"NB201 replay, {options.Runs} runs, {options.Workers} worker(s)");
        var report = Document(words, options, strategies, table, markdown, wall, runs, output, plots);
        await File.WriteAllTextAsync(output + ".md", report, cancellationToken);
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
}
