using System.Diagnostics;
using System.Globalization;
using System.Text;
using NasActors.Core.Specs;
using NasActors.Engine.Searches;
using NasActors.Engine.Simulation;
using Spectre.Console;

namespace NasActors.Cli.Bench;

/// <summary>
/// Projects one search coordinator serving many trainers with long trials, on the virtual clock of
/// <see cref="ReplaySimulator"/>: the real coordinator, simulated trainers that heartbeat and report as real ones do,
/// simulated seconds instead of waiting. Simulated time does not move while the coordinator computes, so the
/// utilisation it yields measures the protocol (idle gaps between a result and the next lease, the last round's
/// stragglers); the coordinator's own cost is the process CPU time per trial, from which the coordinator's load at
/// the trainers' trial rate follows.
/// </summary>
public static class ClusterProjectionBench
{
    /// <param name="Utilisation">busy trainer-seconds ÷ (trainers × simulated makespan)</param>
    /// <param name="IdealUtilisation">the same for a zero-overhead greedy schedule of the same trial costs (the tail's share)</param>
    /// <param name="CpuMsPerTrial">process CPU (coordinator, simulated trainers, driver, in-memory journal) per completed trial</param>
    public sealed record Row(int Trainers, int Trials, double TrialSeconds, double SimulatedSeconds, double Utilisation, double IdealUtilisation,
        double CpuMsPerTrial, double WallSeconds)
    {
        /// <summary>Trials per second the trainers complete in steady state.</summary>
        public double TrialRate => Trainers / TrialSeconds;

        /// <summary>Share of one core the coordinator needs at that rate (an upper bound: the CPU includes the simulation).</summary>
        public double CoordinatorLoad => TrialRate * CpuMsPerTrial / 1000;
    }

    public static async Task<Row> MeasureAsync(int trainers, int rounds, double trialSeconds, double leaseSeconds)
    {
        var trials = trainers * rounds;
        // Trainers heartbeat every lease/3; every simulated wake-up costs a round trip, so long leases keep 10,000 trainers tractable.
        var spec = LedgerThroughputBench.BenchSpec(trials, trainers, snapshotEvery: 1000, leaseSeconds);
        var definition = SearchDefinition.From(spec, new DatasetShape(64, 10));
        var evaluator = new FixedCostEvaluator(trialSeconds);
        await using var simulator = new ReplaySimulator(maxInFlight: 1);
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var result = await simulator.RunAsync(new SearchId($"projection-{trainers}"), new SearchSpecData(SearchSpecJson.Serialize(spec), 64, 10),
            definition, evaluator, new ReplaySettings(trainers, BudgetSeconds: null));
        wall.Stop();
        process.Refresh();
        var cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds;
        if (result.Evaluations != trials) throw new InvalidOperationException($"projection ended with {result.Evaluations}/{trials} trials: {result.Message}");
        var busy = result.Trials.Sum(t => t.Cost);
        return new Row(trainers, trials, trialSeconds, result.SimulatedSeconds, busy / (trainers * result.SimulatedSeconds),
            busy / (trainers * GreedyMakespan(result.Trials.OrderBy(t => t.TrialId).Select(t => t.Cost), trainers)), cpuMs / trials, wall.Elapsed.TotalSeconds);
    }

    /// <summary>Each trial, in id order, to the trainer that frees first, with no overhead at all.</summary>
    private static double GreedyMakespan(IEnumerable<double> costs, int trainers)
    {
        var free = new PriorityQueue<int, double>();
        for (var i = 0; i < trainers; i++) free.Enqueue(i, 0);
        var makespan = 0.0;
        foreach (var cost in costs)
        {
            free.TryDequeue(out var trainer, out var at);
            makespan = Math.Max(makespan, at + cost);
            free.Enqueue(trainer, at + cost);
        }
        return makespan;
    }

    public static async Task<int> RunAsync(IReadOnlyList<int> trainerCounts, int rounds, double trialMinutes, double leaseSeconds, string output)
    {
        var rows = new List<Row>();
        foreach (var trainers in trainerCounts) rows.Add(await MeasureAsync(trainers, rounds, trialMinutes * 60, leaseSeconds));
        var table = new Table().AddColumns("trainers", "trials", "simulated h", "utilisation", "ideal", "CPU ms/trial", "trials/s needed", "coordinator load", "wall s");
        foreach (var r in rows)
            table.AddRow(r.Trainers.ToString(), r.Trials.ToString(), (r.SimulatedSeconds / 3600).ToString("F2"), r.Utilisation.ToString("P2"),
                r.IdealUtilisation.ToString("P2"), r.CpuMsPerTrial.ToString("F3"), r.TrialRate.ToString("F1"), r.CoordinatorLoad.ToString("P2"), r.WallSeconds.ToString("F1"));
        AnsiConsole.Write(table);

        var md = new StringBuilder()
            .AppendLine(string.Create(CultureInfo.InvariantCulture, $"Command: `nas bench projection --trainers {string.Join(',', trainerCounts)} --rounds {rounds} --trial-minutes {trialMinutes} --lease-seconds {leaseSeconds}`  "))
            .AppendLine($"Machine: {Environment.ProcessorCount} cores; measured {DateTime.UtcNow:yyyy-MM-dd}.")
            .AppendLine()
            .AppendLine("| trainers | trials | simulated hours | utilisation | ideal (tail only) | CPU ms per trial | trials/s needed | coordinator load (one core) | wall s |")
            .AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Trainers} | {r.Trials} | {r.SimulatedSeconds / 3600:F2} | {r.Utilisation:P2} | {r.IdealUtilisation:P2} | {r.CpuMsPerTrial:F3} | {r.TrialRate:F1} | {r.CoordinatorLoad:P2} | {r.WallSeconds:F1} |"));
        md.AppendLine()
            .AppendLine("One real `SearchCoordinator` (in-memory journal) and that many simulated trainers in one process; trials cost the given mean ± 10 % "
                        + "of simulated time. *Utilisation* is busy trainer-time ÷ (trainers × simulated makespan); *ideal* is the same for a greedy "
                        + "schedule of the same costs with no overhead at all, so the difference is what the protocol costs trainers (simulated time "
                        + "stands still while the coordinator computes) and what both lack from 100 % is the last round's stragglers. "
                        + "*CPU ms per trial* is the whole process's CPU time ÷ trials: the coordinator plus the simulated trainers, the driver and a "
                        + "lease scan at every simulated instant a trainer wakes at (a node scans once a second), so it bounds the coordinator's cost from above. "
                        + "*Coordinator load* = trials/s the trainers complete (trainers ÷ mean trial seconds) × CPU per trial: the share of one core "
                        + "the coordinator needs; while it stays far below 100 % a trainer's request is answered at once and utilisation stays at the "
                        + "simulated figure.");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, md.ToString());
        AnsiConsole.MarkupLine($"written: {Markup.Escape(output)}");
        return ExitCodes.Done;
    }
}
