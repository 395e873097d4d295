using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using NasActors.Cli.Bench;
using NasActors.Core.Benchmarks;
using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using NasActors.Core.Strategies;
using Spectre.Console.Cli;

namespace NasActors.Cli.Commands;

/// <summary>
/// <c>nas bench multi-fidelity --table T.csv.gz --spec S.yaml</c>: replays strategies on a learning-curve
/// table built by <c>nas bench build-table</c> (see <see cref="MultiFidelityBench"/>) and writes
/// <c>OUT.md</c>, <c>OUT/runs.csv</c>, <c>OUT/anytime.csv</c> and <c>OUT/anytime.png</c>. Runs of a peer
/// measured on the same table, budget and seeds (<c>OUT/peer-anytime.csv</c>, written by
/// bench/peers/optuna_multifidelity.py) are put beside them in the same table and plot.
/// </summary>
public sealed class BenchMultiFidelityCommand : AsyncCommand<BenchMultiFidelityCommand.Settings>
{
    public const string DefaultStrategies = "random,tpe,asha,hyperband,bohb,median_stopping";
    public const string PeerFile = "peer-anytime.csv";

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--table <FILE>")] [Description("the learning-curve table (nas bench build-table --out)")]
        public string Table { get; set; } = "";

        [CommandOption("--spec <YAML>")] [Description("the spec the table was built from (its space and grid)")]
        public string Spec { get; set; } = "";

        [CommandOption("--strategies <LIST>")] [Description("comma-separated strategies, each name[[:key=value]]*")]
        [DefaultValue(DefaultStrategies)]
        public string Strategies { get; set; } = DefaultStrategies;

        [CommandOption("--runs <N>")] [Description("runs per strategy")] [DefaultValue(200)]
        public int Runs { get; set; } = 200;

        [CommandOption("--budget-seconds <S>")] [Description("simulated seconds per run")]
        public double BudgetSeconds { get; set; }

        [CommandOption("--workers <W>")] [Description("simulated trainers")] [DefaultValue(4)]
        public int Workers { get; set; } = 4;

        [CommandOption("--seed <S>")] [Description("seed of the first run")] [DefaultValue(0)]
        public int Seed { get; set; }

        [CommandOption("--out <PATH>")] [Description("report path without extension: writes PATH.md and PATH/")]
        [DefaultValue("bench/results/multi-fidelity")]
        public string Out { get; set; } = "bench/results/multi-fidelity";

        public override Spectre.Console.ValidationResult Validate() =>
            Table.Length == 0 ? Spectre.Console.ValidationResult.Error("--table is required")
            : Spec.Length == 0 ? Spectre.Console.ValidationResult.Error("--spec is required")
            : Runs < 1 ? Spectre.Console.ValidationResult.Error("--runs must be at least 1")
            : Workers < 1 ? Spectre.Console.ValidationResult.Error("--workers must be at least 1")
            : BudgetSeconds <= 0 ? Spectre.Console.ValidationResult.Error("--budget-seconds is required and must be positive")
            : Seed < 0 ? Spectre.Console.ValidationResult.Error("--seed must be 0 or more")
            : Spectre.Console.ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var words = context.Arguments.SkipWhile(a => a != "multi-fidelity").ToArray();
        if (!File.Exists(settings.Table)) throw new UsageException($"--table: no file '{settings.Table}'");
        LearningCurveTable table;
        try { table = LearningCurveTable.Load(settings.Table); }
        catch (Exception e) when (e is FormatException or IOException) { throw new UsageException(e.Message); }
        var strategies = settings.Strategies
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => Strategy(t, table.Epochs)).ToArray();
        if (strategies.Length == 0) throw new UsageException("--strategies lists no strategy");
        if (strategies.Select(s => s.Label).Distinct().Count() != strategies.Length) throw new UsageException("a strategy is listed twice");
        var spec = SpecReader.ReadFile(settings.Spec);
        var gridPoints = (int)spec.Strategy.Parameters.GetValueOrDefault("grid", 5);
        var definition = SearchDefinition.Load(spec);
        var gridSize = GridSearch.Enumerate(new ChoiceGrid(definition.Space, gridPoints)).Count();
        var foreign = table.Architectures.FirstOrDefault(a => !IsOnGrid(a, definition, gridPoints));
        if (foreign is not null)
            throw new UsageException($"--table: {settings.Table} holds '{foreign}', which is not a configuration of the grid of {settings.Spec}");
        // A table still being built is a uniform sample of its grid; the replay serves a configuration it lacks by its nearest one.
        var partial = table.Count < gridSize
            ? $"The table is a build in progress: it holds {table.Count} of the grid's {gridSize} configurations (a uniform sample: the grid " +
              "trains a seeded permutation), and a proposal it lacks is served by its nearest configuration (fewest differing categorical " +
              "decisions plus grid steps of continuous ones, ties broken by a hash), for every strategy alike.\n\n"
            : "";
        if (partial.Length > 0) Console.WriteLine($"note: {settings.Table} holds {table.Count} of {gridSize} grid configurations; missing ones are served by the nearest");

        var options = new MultiFidelityBenchOptions(strategies, settings.Runs, settings.BudgetSeconds, settings.Workers, settings.Seed);
        Console.WriteLine($"multi-fidelity replay: {strategies.Length} strategies × {options.Runs} runs, {options.BudgetSeconds} simulated s, {options.Workers} workers; table {settings.Table}");
        var clock = Stopwatch.StartNew();
        var runs = await new MultiFidelityBench(table, definition, gridPoints, options).RunAsync((strategy, done) =>
        {
            if (done == options.Runs) Console.WriteLine($"  {strategy}: {done} runs done ({clock.Elapsed.TotalSeconds:0.0} s)");
        }, cancellationToken);
        var wall = clock.Elapsed;

        var output = settings.Out;
        Directory.CreateDirectory(output);
        var peers = ReadPeer(Path.Combine(output, PeerFile));
        var curves = runs.Select(r => (r.Strategy, r.Run, r.Anytime)).Concat(peers).ToArray();
        var labels = strategies.Select(s => s.Label).Concat(peers.Select(p => p.Strategy).Distinct()).ToArray();
        var optimum = MultiFidelityBench.Optimum(table);
        await File.WriteAllTextAsync(Path.Combine(output, "runs.csv"), RunsCsv(runs), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(output, "anytime.csv"), AnytimeCsv(runs), cancellationToken);
        var marks = new[] { 0.25, 0.5, 1.0 }.Select(f => f * options.BudgetSeconds).ToArray();
        var markdown = Table(labels, curves, marks, optimum);
        Console.WriteLine();
        Console.Write(markdown);
        var plot = MultiFidelityPlot.Write(curves, labels, optimum, options.BudgetSeconds, Path.Combine(output, "anytime.png"),
            $"{Path.GetFileName(settings.Table)}: {options.Runs} runs, {options.Workers} workers");
        await File.WriteAllTextAsync(output + ".md", Document(words, options, strategies, table, settings, markdown, wall, runs, output, plot, peers.Count > 0, partial), cancellationToken);
        Console.WriteLine($"wrote {output}.md, {output}/runs.csv, {output}/anytime.csv, {plot}");
        return ExitCodes.Done;
    }

    /// <summary>
    /// A bare multi-fidelity name gets this bench's preset: rungs from 1 epoch to the table's last (η = 3:
    /// 1/3/10/30 on a 30-epoch table), median stopping from epoch 3 every 3 epochs. Anything with parameters
    /// is parsed as written (give every rung parameter then: NB201's one-rung BOHB preset would apply otherwise).
    /// </summary>
    private static BenchStrategy Strategy(string text, int epochs)
    {
        var presets = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal)
        {
            ["asha"] = new() { ["min_epochs"] = 1, ["max_epochs"] = epochs, ["eta"] = 3 },
            ["hyperband"] = new() { ["min_epochs"] = 1, ["max_epochs"] = epochs, ["eta"] = 3 },
            ["bohb"] = new() { ["min_epochs"] = 1, ["max_epochs"] = epochs, ["eta"] = 3 },
            ["median_stopping"] = new() { ["min_epochs"] = 3, ["interval"] = 3, ["max_epochs"] = epochs },
        };
        if (!presets.TryGetValue(text, out var preset)) return BenchStrategy.Parse(text);
        return new BenchStrategy(text, text, preset, false);
    }

    /// <summary>Mean ± std over runs of the incumbent's quality at fractions of the budget.</summary>
    public static string Table(IReadOnlyList<string> labels, IReadOnlyList<(string Strategy, int Run, IReadOnlyList<(double At, double Quality)> Anytime)> curves,
        double[] marks, double optimum)
    {
        var sb = new StringBuilder();
        sb.Append("| strategy | ").AppendJoin(" | ", marks.Select(m => $"at {m.ToString("0.##", CultureInfo.InvariantCulture)} s")).Append(" | runs |\n");
        sb.Append("|---|").AppendJoin("", marks.Select(_ => "---:|")).Append("---:|\n");
        foreach (var label in labels)
        {
            var mine = curves.Where(c => c.Strategy == label).ToArray();
            sb.Append($"| {label} | ");
            sb.AppendJoin(" | ", marks.Select(m =>
            {
                var values = mine.Select(c => At(c.Anytime, m)).Where(v => !double.IsNaN(v)).ToArray();
                return values.Length == 0 ? "–" : $"{F(100 * values.Average())} ± {F(100 * Std(values))}" + (values.Length < mine.Length ? $" ({values.Length} runs)" : "");
            }));
            sb.Append($" | {mine.Length} |\n");
        }
        sb.Append($"| *optimum of the table* | ").AppendJoin(" | ", marks.Select(_ => F(100 * optimum))).Append(" | |\n");
        return sb.ToString();
    }

    /// <summary>The incumbent's quality at time <paramref name="t"/> (NaN before the first result).</summary>
    public static double At(IReadOnlyList<(double At, double Quality)> anytime, double t)
    {
        var value = double.NaN;
        foreach (var (at, quality) in anytime)
        {
            if (at > t) break;
            value = quality;
        }
        return value;
    }

    private static List<(string Strategy, int Run, IReadOnlyList<(double At, double Quality)> Anytime)> ReadPeer(string path)
    {
        if (!File.Exists(path)) return [];
        return File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
            .GroupBy(c => (c[0], int.Parse(c[1], CultureInfo.InvariantCulture)))
            .Select(g => (g.Key.Item1, g.Key.Item2, (IReadOnlyList<(double, double)>)g
                .Select(c => (double.Parse(c[2], CultureInfo.InvariantCulture), double.Parse(c[3], CultureInfo.InvariantCulture)))
                .OrderBy(p => p.Item1).ToList()))
            .ToList();
    }

    private static string RunsCsv(IReadOnlyList<MultiFidelityRun> runs)
    {
        var sb = new StringBuilder("strategy,run,seed,incumbent,quality,evaluations,epochs_trained\n");
        foreach (var r in runs)
            sb.Append($"{Quote(r.Strategy)},{r.Run},{r.Seed},{r.Incumbent},{r.Quality.ToString("0.#####", CultureInfo.InvariantCulture)},{r.Evaluations},{r.EpochsTrained.ToString(CultureInfo.InvariantCulture)}\n");
        return sb.ToString();
    }

    private static string AnytimeCsv(IReadOnlyList<MultiFidelityRun> runs)
    {
        var sb = new StringBuilder("strategy,run,at,quality\n");
        foreach (var r in runs)
            foreach (var (at, q) in r.Anytime)
                sb.Append($"{Quote(r.Strategy)},{r.Run},{at.ToString("0.###", CultureInfo.InvariantCulture)},{q.ToString("0.#####", CultureInfo.InvariantCulture)}\n");
        return sb.ToString();
    }

    private static string Document(string[] words, MultiFidelityBenchOptions options, IReadOnlyList<BenchStrategy> strategies, LearningCurveTable table,
        Settings settings, string markdown, TimeSpan wall, IReadOnlyList<MultiFidelityRun> runs, string output, string plot, bool peers, string partial)
    {
        var folder = Path.GetFileName(Path.TrimEndingDirectorySeparator(output));
        var sb = new StringBuilder();
        sb.Append($"# Multi-fidelity replay on {Path.GetFileName(settings.Table)}\n\n");
        sb.Append("Produced by (from the repository root):\n\n```\n")
            .Append("dotnet run -c Release --project src/NasActors.Cli -- bench ").AppendJoin(' ', words).Append("\n```\n\n");
        sb.Append($"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription.Trim()}, ")
            .Append($".NET {Environment.Version}. Wall time: {wall.TotalSeconds:0.0} s for {runs.Count} runs ({runs.Sum(r => r.Evaluations)} evaluations).\n\n");
        sb.Append($"Table: {table.Count} configurations × {table.All.Count() / Math.Max(1, table.Count)} seeds × {table.Epochs} epochs. ")
            .Append($"Budget {options.BudgetSeconds} simulated seconds per run, {options.Workers} simulated trainers, seeds {options.Seed}..{options.Seed + options.Runs - 1} ")
            .Append("(the same for every strategy). Each cell: mean ± std over runs of the incumbent's quality (mean over the table's seeds of its ")
            .Append("final-epoch validation accuracy, %) at that simulated time; the incumbent is the best signal among results at the highest ")
            .Append("fidelity reached so far. The search sees one seed's curve per query, at the epochs it asked for.\n\n");
        sb.Append(partial);
        sb.Append(markdown).Append('\n');
        sb.Append("Strategy settings:\n\n");
        foreach (var s in strategies) sb.Append($"- `{s.Label}`: {s.Describe()}\n");
        if (peers) sb.Append($"\nOptuna rows: measured on the same table, budget, workers and seeds by bench/peers/optuna_multifidelity.py ([{folder}/{PeerFile}]({folder}/{PeerFile})).\n");
        sb.Append($"\nPer-run results: [{folder}/runs.csv]({folder}/runs.csv); anytime points: [{folder}/anytime.csv]({folder}/anytime.csv).\n\n");
        sb.Append($"![anytime]({folder}/{Path.GetFileName(plot)})\n");
        return sb.ToString();
    }

    private static bool IsOnGrid(string arch, SearchDefinition definition, int gridPoints)
    {
        try
        {
            var grid = new ChoiceGrid(definition.Space, gridPoints);
            var genotype = CanonicalParser.Parse(definition.Space, arch);
            return grid.ToGenotype(grid.ChoicesOf(genotype)).Canonical == arch;
        }
        catch (FormatException) { return false; }
    }

    private static string Quote(string s) => s.Contains(',') ? $"\"{s}\"" : s;

    private static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);

    private static double Std(double[] v)
    {
        if (v.Length < 2) return 0;
        var mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
    }
}
