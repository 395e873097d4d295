using System.ComponentModel;
using NasActors.Cli.Bench;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NasActors.Cli.Commands;

/// <summary><c>nas bench ledger [--trials N] [--out FILE]</c>: durable trials/s of the engine with a no-op evaluator.</summary>
public sealed class BenchLedgerCommand : AsyncCommand<BenchLedgerCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--trials <N>")] [Description("trials per measurement")] [DefaultValue(5000)]
        public int Trials { get; set; } = 5000;

        [CommandOption("--out <FILE>")] [Description("markdown report")] [DefaultValue("bench/results/ledger-throughput.md")]
        public string Out { get; set; } = "bench/results/ledger-throughput.md";

        public override ValidationResult Validate() =>
            Trials > 0 ? ValidationResult.Success() : ValidationResult.Error("--trials takes a positive whole number");
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        LedgerThroughputBench.RunAsync(settings.Trials, settings.Out);
}
