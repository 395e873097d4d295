using System.ComponentModel;
using NasActors.Cli.Bench;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NasActors.Cli.Commands;

/// <summary><c>nas bench projection</c>: one coordinator serving many simulated trainers with long trials, on the virtual clock.</summary>
public sealed class BenchProjectionCommand : AsyncCommand<BenchProjectionCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--trainers <N,...>")] [Description("simulated trainer counts, comma-separated")] [DefaultValue("1000,10000")]
        public string Trainers { get; set; } = "1000,10000";

        [CommandOption("--rounds <N>")] [Description("trials per trainer (the budget is trainers × rounds)")] [DefaultValue(2)]
        public int Rounds { get; set; } = 2;

        [CommandOption("--trial-minutes <M>")] [Description("mean simulated trial length (±10%)")] [DefaultValue(10.0)]
        public double TrialMinutes { get; set; } = 10;

        [CommandOption("--lease-seconds <S>")] [Description("lease_seconds of the simulated search (trainers heartbeat every third of it)")] [DefaultValue(600.0)]
        public double LeaseSeconds { get; set; } = 600;

        [CommandOption("--out <FILE>")] [Description("markdown table")] [DefaultValue("bench/results/cluster-projection.md")]
        public string Out { get; set; } = "bench/results/cluster-projection.md";

        public IReadOnlyList<int> TrainerCounts() =>
            Trainers.Split(',', StringSplitOptions.TrimEntries).Select(t => int.TryParse(t, out var n) && n > 0 ? n : -1).ToArray();

        public override ValidationResult Validate() =>
            TrainerCounts().Any(n => n < 1) ? ValidationResult.Error($"--trainers: '{Trainers}' is not a list of positive whole numbers (e.g. 1000,10000)")
            : Rounds < 1 ? ValidationResult.Error("--rounds takes a positive whole number")
            : TrialMinutes is not (> 0 and < 100_000) ? ValidationResult.Error("--trial-minutes takes a positive number of minutes")
            : LeaseSeconds is not (>= 1 and <= 86_400) ? ValidationResult.Error("--lease-seconds takes seconds from 1 to 86400")
            : ValidationResult.Success();
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        ClusterProjectionBench.RunAsync(settings.TrainerCounts(), settings.Rounds, settings.TrialMinutes, settings.LeaseSeconds, settings.Out);
}
