using System.Diagnostics;
using System.Globalization;
using System.Text;
using Akka.Actor;
using NasActors.Core.Specs;
using NasActors.Engine.Searches;
using NasActors.Engine.Trainers;
using Spectre.Console;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Cli.Bench;

/// <summary>
/// Durable trials per second through the whole trial path (ask → lease → result → persist →
/// tell → accepted) with a no-op evaluator on the embedded SQLite journal: the engine's own
/// overhead, comparable with Optuna's storage benchmarks. Prints a table and writes markdown.
/// </summary>
public static class LedgerThroughputBench
{
    public sealed record Row(int Trainers, int Trials, int SnapshotEvery, double Seconds)
    {
        public double TrialsPerSecond => Trials / Seconds;
    }

    public static async Task<Row> MeasureAsync(int trials, int trainers, int snapshotEvery)
    {
        var store = Directory.CreateTempSubdirectory("nas-bench-").FullName;
        try
        {
            await using var node = await EmbeddedNode.StartAsync(store);
            var spec = BenchSpec(trials, trainers, snapshotEvery);
            var id = new SearchId($"bench-{trainers}-{snapshotEvery}");
            await node.AskAsync<SearchStatus>(new StartSearch(id, SearchSpecJson.Serialize(spec), 64, 10));
            var evaluator = new NoOpEvaluator();
            var clock = Stopwatch.StartNew();
            var actors = Enumerable.Range(0, trainers).Select(i => node.System.ActorOf(TrainerActor.Props(node.Searches, id, evaluator,
                new TrainerSettings($"bench-t{i}", store, 1, PollInterval: TimeSpan.FromMilliseconds(1))))).ToArray();
            SearchStatus status;
            do
            {
                await Task.Delay(20);
                status = await node.AskAsync<SearchStatus>(new GetStatus(id));
            } while (status.Phase == SearchPhase.Running);
            var seconds = clock.Elapsed.TotalSeconds;
            foreach (var a in actors) node.System.Stop(a);
            if (status.Completed != trials) throw new InvalidOperationException($"bench search ended with {status.Completed}/{trials}: {status.Message}");
            return new Row(trainers, trials, snapshotEvery, seconds);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(store, recursive: true);
        }
    }

    public static async Task<int> RunAsync(int trials, string output)
    {
        var rows = new List<Row>();
        foreach (var (trainers, snapshotEvery) in new[] { (1, 1000), (16, 1000), (64, 1000), (64, 100), (64, 1_000_000) })
            rows.Add(await MeasureAsync(trials, trainers, snapshotEvery));
        var table = new Table().AddColumns("trainers", "trials", "snapshot_every", "seconds", "trials/s");
        foreach (var r in rows)
            table.AddRow(r.Trainers.ToString(), r.Trials.ToString(), r.SnapshotEvery.ToString(), r.Seconds.ToString("F2"), r.TrialsPerSecond.ToString("F0"));
        AnsiConsole.Write(table);

        var md = new StringBuilder()
            .AppendLine("# Trial-ledger throughput (no-op evaluator, embedded SQLite journal)")
            .AppendLine()
            .AppendLine($"Command: `dotnet run -c Release --project src/NasActors.Cli -- bench ledger --trials {trials}`  ")
            .AppendLine($"Machine: {Environment.ProcessorCount} cores; measured {DateTime.UtcNow:yyyy-MM-dd} in one run, side by side.")
            .AppendLine()
            .AppendLine("| trainers | trials | snapshot_every (minimum) | seconds | durable trials/s |")
            .AppendLine("|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
            md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Trainers} | {r.Trials} | {r.SnapshotEvery} | {r.Seconds:F2} | {r.TrialsPerSecond:F0} |"));
        md.AppendLine().AppendLine("Each trial, in one exchange: ReportResult(NextWork) → TrialCompleted + TrialProposed + TrialLeased applied and written (PersistAllAsync; the SQL journal batches concurrent writes) → ResultAccepted and WorkAssigned sent once durable. Nothing is acknowledged before it is in the journal. The single-trainer row is bound by the journal's write latency; more trainers share each batched write. Snapshots copy the whole ledger, so their interval grows with it (max(snapshot_every, 3 × ledger size) events): total snapshot work stays linear, and the rows with a minimum of 100 and of 1,000,000 events show snapshots no longer matter. `bench/ledger-with-optuna.sh` adds Optuna's in-memory and SQLite throughput, measured in the same run.");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, md.ToString());
        AnsiConsole.MarkupLine($"written: {Markup.Escape(output)}");
        return ExitCodes.Done;
    }

    /// <summary>A random search over a small MLP space; the evaluator decides what a trial costs.</summary>
    internal static SearchSpec BenchSpec(int trials, int trainers, int snapshotEvery, double leaseSeconds = 30) => new(
        "bench", 1,
        new MlpSpaceSpec("mlp", [1, 2, 3, 4], [16, 32, 64, 128, 256], ["relu", "gelu", "tanh"], [0.0, 0.1, 0.3], 1e-4, 1e-1),
        new DatasetSpec("/unused", "last", 0.2),
        new TrainingSpec(1, 32),
        new StrategySpec("random", new Dictionary<string, double>()),
        new BudgetSpec(trials, 10),
        new ExecutionSpec(trainers, 1, leaseSeconds, snapshotEvery),
        new ObjectiveSpec("val_accuracy", true),
        new ConstraintSpec(null));
}
