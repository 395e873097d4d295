using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using NasActors.Core.Randomness;
using NasActors.Core.Specs;
using NasActors.Core.Strategies;
using NasActors.Core.Strategies.Supernet;
using NasActors.Core.Trials;
using NasActors.Engine.Entities;
using NasActors.Engine.Searches;
using NasActors.Engine.Supernets;
using NasActors.Training.Supernet;
using NasActors.Training.Trials;

// SPOS end to end on one machine, until the search coordinator starts phases 1-2 itself:
//   run SPEC                 phases 1-2 on actors (supernet shards + workers), phase 3 retrains the best
//   throughput SPEC [--workers 1,2,4] [--rounds N]   phase-1 samples/s against one process without actors
var culture = CultureInfo.InvariantCulture;
if (args.Length >= 2 && args[0] is "darts" or "manas" || args.Length >= 3 && args[0] == "study") return OneShotBench.Run(args);
if (args.Length < 2 || args[0] is not ("run" or "throughput"))
{
    Console.Error.WriteLine("usage: SupernetBench run SPEC | throughput SPEC [--workers 1,2,4] [--rounds N] | darts SPEC | manas SPEC | study DARTS_SPEC MANAS_SPEC [--cells 30]");
    return 2;
}
SearchSpec spec;
try
{
    spec = SpecReader.ReadFile(args[1]);
}
catch (SpecException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
if (spec.Strategy.Name != SposSearch.Name)
{
    Console.Error.WriteLine($"{args[1]}: 'strategy.name' is '{spec.Strategy.Name}'; this runner needs spos");
    return 2;
}
string Option(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;

var definition = SearchDefinition.Load(spec);
var strategy = (SposSearch)definition.CreateStrategy();
var context = new StrategyContext(definition.Space, new Fidelity(spec.Training.Epochs), spec.Seed)
{
    Constraints = definition.Constraints,
    Objectives = spec.Objectives
};
TorchSharp.torch.set_num_threads(1); // one thread per worker: parallelism comes from the workers
var store = Directory.CreateTempSubdirectory("nas-spos-").FullName;
try
{
    if (args[0] == "run") return await Run();
    return await Throughput();
}
finally
{
    Directory.Delete(store, recursive: true);
}

async Task<int> Run()
{
    var options = strategy.Options;
    using var supernet = new TorchSupernet(definition, options);
    var ranked = await Phases12(supernet, options, new SearchId(spec.Name));
    var s = ranked.Stats;
    Console.WriteLine($"phase 1: {s.Rounds} rounds, {s.Samples} samples in {s.TrainingSeconds:F1} s ({s.SamplesPerSecond:F0}/s) by {options.Workers} workers on {options.Shards} shards; pushes {s.AcceptedPushes} merged, {s.RefusedPushes} refused as stale");
    Console.WriteLine($"phase 2: {ranked.Ranking.Count} subnets scored with inherited weights in {s.SearchSeconds:F1} s");
    strategy.Rank(ranked.Ranking.Select(r => definition.Space.FromValues(r.Values)).ToArray());

    using var evaluator = new TorchTrialEvaluator(definition);
    Console.WriteLine("phase 3: the best retrained from scratch");
    Console.WriteLine("  inherited  retrained  subnet");
    for (var id = 0; id < spec.Budget.Trials; id++)
    {
        if (strategy.Ask(id) is not { } trial) break;
        var metrics = evaluator.Train(trial, new TrialContext(Path.Combine(store, "trials"), Threads: spec.Execution.ThreadsPerTrainer), CancellationToken.None);
        strategy.Tell(new TrialSucceeded(id, metrics, definition.Score(trial.Genotype, metrics)));
        var inherited = ranked.Ranking.First(r => r.Canonical == trial.Genotype.Canonical).Score;
        Console.WriteLine($"  {inherited,9:F4}  {metrics.ValidationAccuracy,9:F4}  {trial.Genotype.Canonical}");
    }
    return 0;
}

async Task<int> Throughput()
{
    var workers = Option("--workers", "1,2,4").Split(',').Select(w => int.Parse(w, culture)).ToArray();
    var rounds = int.Parse(Option("--rounds", "200"), culture);
    // Phase 2 kept to one tiny generation: only phase 1 is measured here.
    var options = strategy.Options with { Rounds = rounds, Population = 2, Generations = 1 };
    using var supernet = new TorchSupernet(definition, options);
    var random = new SeededRandom(spec.Seed);
    var paths = Enumerable.Range(0, rounds).Select(_ => definition.Space.Sample(random)).ToArray();
    supernet.TrainInProcess(Math.Min(rounds, 20), r => paths[r], spec.Seed, CancellationToken.None); // warm-up
    var (samples, seconds) = supernet.TrainInProcess(rounds, r => paths[r], spec.Seed, CancellationToken.None);
    Console.WriteLine("| trainers | rounds | samples | seconds | samples/s | pushes refused |");
    Console.WriteLine("|---|---|---|---|---|---|");
    Console.WriteLine($"| in process, no actors | {rounds} | {samples} | {seconds:F2} | {samples / seconds:F0} | – |");
    foreach (var w in workers)
    {
        var ranked = await Phases12(supernet, options with { Workers = w }, new SearchId($"throughput-{w}"));
        var s = ranked.Stats;
        Console.WriteLine($"| {w} worker{(w == 1 ? "" : "s")}, {options.Shards} shards | {s.Rounds} | {s.Samples} | {s.TrainingSeconds:F2} | {s.SamplesPerSecond:F0} | {s.RefusedPushes} |");
    }
    return 0;
}

async Task<SposProtocol.SupernetRanked> Phases12(TorchSupernet supernet, SposOptions options, SearchId search)
{
    var config = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """);
    using var system = ActorSystem.Create("spos", config);
    var shards = system.ActorOf(LocalEntityRegion.Props(id => SupernetShard.Props(id, store), new SupernetShardMessageExtractor()), "supernet-shards");
    var inbox = Inbox.Create(system);
    system.ActorOf(SupernetRun.Props(search, supernet, options, context, shards, inbox.Receiver), "spos");
    var ranked = (SposProtocol.SupernetRanked)await inbox.ReceiveAsync(TimeSpan.FromHours(2));
    await system.Terminate();
    return ranked;
}
