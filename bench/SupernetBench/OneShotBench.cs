using System.Diagnostics;
using System.Globalization;
using NasActors.Core.Benchmarks;
using NasActors.Core.Randomness;
using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using NasActors.Core.Strategies;
using NasActors.Core.Strategies.OneShot;
using NasActors.Core.Strategies.Supernet;
using NasActors.Core.Trials;
using NasActors.Training.Supernet;
using NasActors.Training.Trials;

/// <summary>
/// First-order DARTS and weight-sharing MANAS on the NAS-Bench-201 cell, in this process, until the
/// search coordinator runs their supernet phase itself:
///   darts SPEC | manas SPEC        search, then retrain the derived cell(s) (budget.trials) from scratch
///   study DARTS_SPEC MANAS_SPEC [--cells 30] [--table data/nb201/nb201_accuracy.csv]
///                                  the comparison of bench/results/supernet.md (markdown on stdout)
/// Everything runs on one libtorch thread, so seconds are trainer-seconds.
/// </summary>
internal static class OneShotBench
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        TorchSharp.torch.set_num_threads(1);
        try
        {
            return args[0] switch
            {
                "darts" => Search(args[1], DartsSearch.Name),
                "manas" => Search(args[1], ManasSupernetSearch.Name),
                _ => Study(args)
            };
        }
        catch (Exception e) when (e is SpecException or ArgumentException or FileNotFoundException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
    }

    private static SearchDefinition Load(string path, string strategy)
    {
        var spec = SpecReader.ReadFile(path);
        if (spec.Strategy.Name != strategy)
            throw new ArgumentException($"{path}: 'strategy.name' is '{spec.Strategy.Name}'; this command needs {strategy}");
        return SearchDefinition.Load(spec);
    }

    private static int Search(string path, string name)
    {
        var definition = Load(path, name);
        var strategy = (RetrainDerivedSearch)definition.CreateStrategy();
        var (clock, cpu) = (Stopwatch.StartNew(), CpuSeconds());
        var (cells, network) = strategy switch
        {
            DartsSearch darts => RunDarts(definition, darts.Options, definition.Spec.Budget.Trials, Console.WriteLine),
            ManasSupernetSearch manas => RunManas(definition, manas.Options, Console.WriteLine),
            _ => throw new ArgumentException($"no one-shot runner for '{name}'")
        };
        Console.WriteLine($"search: {clock.Elapsed.TotalSeconds:F1} s wall, {CpuSeconds() - cpu:F1} CPU-s on one libtorch thread");
        strategy.Rank(cells);
        using var evaluator = new TorchTrialEvaluator(definition, new TorchEvaluatorOptions { Nb201 = network });
        var store = Directory.CreateTempSubdirectory("nas-oneshot-").FullName;
        try
        {
            Console.WriteLine("retrained from scratch: val_accuracy  seconds  cell");
            for (var id = 0; id < definition.Spec.Budget.Trials; id++)
            {
                if (strategy.Ask(id) is not { } trial) break;
                var metrics = evaluator.Train(trial, new TrialContext(store, Threads: 1), CancellationToken.None);
                strategy.Tell(new TrialSucceeded(id, metrics, definition.Score(trial.Genotype, metrics)));
                Console.WriteLine($"  {metrics.ValidationAccuracy,12:F4}  {metrics.Seconds,7:F1}  {trial.Genotype.Canonical}");
            }
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
        return 0;
    }

    private static (IReadOnlyList<Genotype> Cells, NasActors.Training.Models.Nb201ModelOptions Network) RunDarts(
        SearchDefinition definition, DartsOptions options, int count, Action<string> log)
    {
        using var oneShot = new Nb201OneShot(definition, options.Network, options.WeightLearningRate, definition.Spec.Seed);
        double train = 0, validation = 0;
        for (var step = 1; step <= options.Steps; step++)
        {
            var (t, v) = oneShot.DartsStep(options);
            (train, validation) = (train + t, validation + v);
            if (step % Math.Max(1, options.Steps / 5) == 0 || step == options.Steps)
            {
                log($"darts step {step}: train loss {train / step:F3}, validation loss {validation / step:F3} (means so far)");
            }
        }
        var p = oneShot.AlphaProbabilities();
        for (var e = 0; e < p.Length; e++) log(EdgeLine(definition.Space.Decisions[e].Name, p[e]));
        return (DartsDerivation.Rank(definition.Space, p, count), oneShot.Network);
    }

    private static (IReadOnlyList<Genotype> Cells, NasActors.Training.Models.Nb201ModelOptions Network) RunManas(
        SearchDefinition definition, ManasSupernetOptions options, Action<string> log)
    {
        using var oneShot = new Nb201OneShot(definition, options.Network, options.SupernetLearningRate, definition.Spec.Seed);
        var agents = new ManasEdgeAgents(definition.Space, options, definition.Spec.Seed);
        double rewards = 0;
        for (var round = 1; round <= options.Rounds; round++)
        {
            rewards += agents.Round(path =>
            {
                oneShot.TrainPath(path, options.BatchesPerRound);
                return oneShot.ValidationBatchAccuracy(path);
            }).Reward;
            if (round % Math.Max(1, options.Rounds / 5) == 0)
            {
                log($"manas round {round}: mean reward {rewards / Math.Max(1, Math.Max(1, options.Rounds / 5)):F3} over the last rounds; favourite {agents.Best.Canonical}");
                rewards = 0;
            }
        }
        foreach (var agent in agents.Agents) log(EdgeLine(agent.Name, agent.Probabilities()));
        return ([agents.Best], oneShot.Network);
    }

    /// <summary>One edge's distribution over the ops (softmax(α) or an agent's), for the log.</summary>
    private static string EdgeLine(string edge, IReadOnlyList<double> probabilities) =>
        $"  {edge}: " + string.Join("  ", Nb201Space.Operations.Select((op, k) => $"{op} {probabilities[k]:F3}"));

    /// <summary>CPU-seconds of this process: on a shared machine wall time counts the neighbours' work too.</summary>
    private static double CpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static string Option(string[] args, string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;

    /// <summary>SPOS (in process), DARTS and weight-sharing MANAS on the same data and network against random cells.</summary>
    private static int Study(string[] args)
    {
        var dartsDefinition = Load(args[1], DartsSearch.Name);
        var manasDefinition = Load(args[2], ManasSupernetSearch.Name);
        var darts = ((DartsSearch)dartsDefinition.CreateStrategy()).Options;
        var manas = ((ManasSupernetSearch)manasDefinition.CreateStrategy()).Options;
        if (darts.Network != manas.Network) throw new ArgumentException("the two specs must train the same network size (channels, cells_per_stage, resolution)");
        var cellCount = int.Parse(Option(args, "--cells", "30"), Culture);
        var table = BenchmarkTable.Load(Option(args, "--table", "data/nb201/nb201_accuracy.csv"));
        var definition = dartsDefinition;
        var spec = definition.Spec;
        var space = definition.Space;
        var log = (string line) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");

        var network = Nb201OneShot.NetworkOptions(definition, darts.Network);
        using var evaluator = new TorchTrialEvaluator(definition, new TorchEvaluatorOptions { Nb201 = network });
        var store = Directory.CreateTempSubdirectory("nas-study-").FullName;
        var standalone = new Dictionary<string, TrialMetrics>(StringComparer.Ordinal);
        TrialMetrics Standalone(Genotype cell)
        {
            if (standalone.TryGetValue(cell.Canonical, out var known)) return known;
            var cpu = CpuSeconds();
            var metrics = evaluator.Train(new TrialRequest(standalone.Count, cell, new Fidelity(spec.Training.Epochs), spec.Seed), new TrialContext(store, Threads: 1), CancellationToken.None);
            metrics = metrics with { Seconds = CpuSeconds() - cpu }; // CPU-seconds, as the searches are counted
            log($"standalone {metrics.ValidationAccuracy:F4} in {metrics.Seconds:F1} CPU-s: {cell.Canonical}");
            return standalone[cell.Canonical] = metrics;
        }

        // SPOS phase 1 in process: uniform single paths, as many rounds and batches as weight-sharing MANAS trains.
        var start = CpuSeconds();
        using var spos = new Nb201OneShot(definition, darts.Network, manas.SupernetLearningRate, spec.Seed);
        var uniform = new SeededRandom(spec.Seed);
        for (var r = 0; r < manas.Rounds; r++) spos.TrainPath(space.Sample(uniform), manas.BatchesPerRound);
        var sposTraining = CpuSeconds() - start;
        log($"spos supernet: {manas.Rounds} paths × {manas.BatchesPerRound} batches in {sposTraining:F1} s");
        var sposOptions = new SposOptions(Population: 10, Generations: 3, Parents: 3, CalibrationBatches: 4);
        using var scorer = new TorchSupernet(definition, sposOptions, network);
        var weights = spos.ExportWeights();
        double Inherited(Genotype cell) => scorer.Score(cell, weights, CancellationToken.None);

        // ≥ 30 uniformly sampled distinct cells: inherited-weight accuracy against standalone training.
        var sampler = new SeededRandom(spec.Seed + 1);
        var cells = new List<Genotype>();
        while (cells.Count < cellCount)
        {
            var cell = space.Sample(sampler);
            if (cells.All(c => c.Canonical != cell.Canonical)) cells.Add(cell);
        }
        start = CpuSeconds();
        var inherited = cells.Select(Inherited).ToArray();
        var scoringSeconds = (CpuSeconds() - start) / cells.Count;
        var alone = cells.Select(c => Standalone(c).ValidationAccuracy).ToArray();

        // SPOS phase 2: evolution over inherited-weight scores.
        start = CpuSeconds();
        var evolution = new SubnetEvolution(new StrategyContext(space, new Fidelity(spec.Training.Epochs), spec.Seed), sposOptions);
        while (!evolution.Done)
            foreach (var cell in evolution.NextGeneration()) evolution.Record(cell, Inherited(cell));
        var sposCell = evolution.Ranking[0].Genotype;
        var sposSeconds = sposTraining + CpuSeconds() - start;
        log($"spos: {sposCell.Canonical} after {sposSeconds:F1} s");

        start = CpuSeconds();
        var dartsCell = RunDarts(definition, darts, 1, log).Cells[0];
        var dartsSeconds = CpuSeconds() - start;
        log($"darts: {dartsCell.Canonical} after {dartsSeconds:F1} s");
        start = CpuSeconds();
        var manasCell = RunManas(manasDefinition, manas, log).Cells[0];
        var manasSeconds = CpuSeconds() - start;
        log($"manas-supernet: {manasCell.Canonical} after {manasSeconds:F1} s");

        Report(cells, inherited, alone, scoringSeconds, table, Standalone,
            [("SPOS", sposCell, sposSeconds), ("DARTS (first order)", dartsCell, dartsSeconds), ("MANAS, weight sharing", manasCell, manasSeconds)],
            standalone.Values.Take(cells.Count).Average(m => m.Seconds));
        Directory.Delete(store, recursive: true);
        return 0;
    }

    private static void Report(List<Genotype> cells, double[] inherited, double[] alone, double scoringSeconds, BenchmarkTable table,
        Func<Genotype, TrialMetrics> standalone, (string Method, Genotype Cell, double Seconds)[] found, double meanTrialSeconds)
    {
        double C10(Genotype g) => table[g.Canonical].Number("c10_test_acc_200ep");
        double C100(Genotype g) => table[g.Canonical].Number("c100_test_acc_200ep");
        var rows = table.Rows.ToArray();
        var meanGpuSeconds = rows.Average(r => r.Number("c10valid_time_12ep_s"));
        // Random search's expected evaluations until a cell at least as good on CIFAR-10 (geometric: 1 / share of such cells).
        double RandomEvaluations(double c10) => (double)rows.Length / rows.Count(r => r.Number("c10_test_acc_200ep") >= c10);

        Console.WriteLine($"Kendall τ (inherited vs standalone, {cells.Count} cells): **{KendallTau.Of(inherited, alone):F3}**; " +
            $"inherited-weight scoring {scoringSeconds:F2} CPU-s per cell, standalone training {meanTrialSeconds:F1} CPU-s per cell.");
        Console.WriteLine();
        Console.WriteLine("| # | cell | inherited | standalone | c10 test | c100 test |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|");
        for (var i = 0; i < cells.Count; i++)
            Console.WriteLine($"| {i + 1} | `{cells[i].Canonical}` | {inherited[i]:F4} | {alone[i]:F4} | {C10(cells[i]):F2} | {C100(cells[i]):F2} |");
        Console.WriteLine();
        Console.WriteLine("| method | cell | standalone val acc | c10 test (200 ep) | c100 test (200 ep) | search CPU-s | + retrain CPU-s | random search, same c10: evaluations | × mean 12-ep GPU-s | × mean standalone CPU-s here |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (method, cell, seconds) in found)
        {
            var m = standalone(cell);
            var evaluations = RandomEvaluations(C10(cell));
            Console.WriteLine($"| {method} | `{cell.Canonical}` | {m.ValidationAccuracy:F4} | {C10(cell):F2} | {C100(cell):F2} | {seconds:F0} | {m.Seconds:F0} | {evaluations:F1} | {evaluations * meanGpuSeconds:F0} | {evaluations * meanTrialSeconds:F0} |");
        }
        var best = Enumerable.Range(0, cells.Count).MaxBy(i => alone[i]);
        Console.WriteLine($"| random: mean of the {cells.Count} cells | – | {alone.Average():F4} | {cells.Average(C10):F2} | {cells.Average(C100):F2} | 0 | {meanTrialSeconds:F0} | 1 | {meanGpuSeconds:F0} | {meanTrialSeconds:F0} |");
        Console.WriteLine($"| random: best of the {cells.Count} by standalone val acc | `{cells[best].Canonical}` | {alone[best]:F4} | {C10(cells[best]):F2} | {C100(cells[best]):F2} | {cells.Count * meanTrialSeconds:F0} | – | {RandomEvaluations(C10(cells[best])):F1} | {RandomEvaluations(C10(cells[best])) * meanGpuSeconds:F0} | {RandomEvaluations(C10(cells[best])) * meanTrialSeconds:F0} |");
    }
}
