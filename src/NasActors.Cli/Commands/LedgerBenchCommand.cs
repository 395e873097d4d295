using NasActors.Cli.Bench;

namespace NasActors.Cli.Commands;

/// <summary><c>nas bench ledger [--trials N] [--out FILE]</c>: durable trials/s of the engine with a no-op evaluator.</summary>
public static class LedgerBenchCommand
{
    public static Task<int> ExecuteAsync(string[] words)
    {
        var args = new CliArguments(words, new HashSet<string>(), new HashSet<string> { "trials", "out" });
        var trials = int.TryParse(args.Value("trials") ?? "5000", out var n) && n > 0 ? n : throw new UsageException("--trials takes a positive whole number");
        return LedgerThroughputBench.RunAsync(trials, args.Value("out") ?? "bench/results/ledger-throughput.md");
    }
}
