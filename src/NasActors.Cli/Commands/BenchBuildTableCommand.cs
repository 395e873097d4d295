using System.ComponentModel;
using System.Globalization;
using NasActors.Core.Benchmarks;
using NasActors.Core.Specs;
using NasActors.Core.Strategies;
using NasActors.Engine.Searches;
using NasActors.Node.Storage;
using NasActors.Training.Trials;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NasActors.Cli.Commands;

/// <summary>
/// <c>nas bench build-table spec.yaml --out table.csv.gz</c>: trains every configuration of a grid
/// (the spec's strategy must be <c>grid</c>, with <c>repeats</c> seeds per configuration) as an ordinary
/// search — so the same command again resumes it where it stopped — then writes the per-epoch learning
/// curves of every configuration whose repeats all finished as a <see cref="LearningCurveTable"/>.
/// The table is written also after an interruption: it then holds the configurations done so far.
/// </summary>
public sealed class BenchBuildTableCommand : AsyncCommand<BenchBuildTableCommand.Settings>
{
    public sealed class Settings : RunCommand.Settings
    {
        [CommandOption("--out <FILE>")]
        [Description("the table to write (CSV; gzip when it ends in .gz)")]
        public string Out { get; set; } = "";

        [CommandOption("--checkpoint-seconds <SECONDS>")]
        [Description("least training time between a trial's epoch checkpoints (default 60: a table's small MLPs train in seconds, and a checkpoint per epoch would cost more than the epoch)")]
        public double CheckpointSeconds { get; set; } = 60;

        public override TimeSpan? CheckpointInterval => TimeSpan.FromSeconds(CheckpointSeconds);

        public override string ResumeCommand => base.ResumeCommand + $" --out {Out}";

        protected override string CommandName => "nas bench build-table";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Out.Length == 0) throw new UsageException("--out: the table file to write is required (e.g. --out data/mlp-bench/digits.csv.gz)");
        if (!(settings.CheckpointSeconds >= 0)) throw new UsageException($"--checkpoint-seconds: expected seconds ≥ 0, got {settings.CheckpointSeconds}");
        if (settings.New) throw new UsageException("--new: build-table always resumes its grid; use another --store to start over");
        var spec = SearchIdentity.WithFingerprint(SpecReader.ReadFile(settings.Spec));
        if (spec.Strategy.Name != GridSearch.Name)
            throw new UsageException($"{settings.Spec}: strategy must be '{GridSearch.Name}' (a table holds every configuration of a grid), found '{spec.Strategy.Name}'");
        var repeats = (int)spec.Strategy.Parameters.GetValueOrDefault("repeats", 1);

        var code = await new RunCommand().ExecuteAsync(context, settings, cancellationToken);
        if (code is not (ExitCodes.Done or ExitCodes.Interrupted)) return code;

        var status = new JournalReader(settings.JournalFile).Status(SearchIdentity.For(spec), includeTrials: true);
        var table = Table(status.Trials ?? [], repeats, spec.Training.Epochs);
        var folder = Path.GetDirectoryName(Path.GetFullPath(settings.Out));
        if (folder is not null) Directory.CreateDirectory(folder);
        table.Write(settings.Out);
        AnsiConsole.MarkupLine($"wrote [bold]{settings.Out}[/]: {table.Count} configurations × {repeats} seeds × {table.Epochs} epochs");
        return code;
    }

    /// <summary>
    /// Curves of the configurations whose <paramref name="repeats"/> trainings all completed; the seed of a
    /// run is its rank among the trials of its configuration (trial ids in proposal order).
    /// </summary>
    public static LearningCurveTable Table(IEnumerable<TrialView> trials, int repeats, int epochs) =>
        new(trials.Where(t => t.State == TrialState.Completed && t.Metrics?.Extra is not null)
            .GroupBy(t => t.Architecture, StringComparer.Ordinal)
            .Where(g => g.Count() >= repeats)
            .SelectMany(g => g.OrderBy(t => t.TrialId).Take(repeats).Select((t, seed) => Curve(t, seed, epochs))));

    private static LearningCurve Curve(TrialView trial, int seed, int epochs)
    {
        var extra = trial.Metrics!.Extra!;
        double[] PerEpoch(Func<int, string> name) => Enumerable.Range(1, epochs).Select(e =>
            extra.TryGetValue(name(e), out var v) ? v : throw new InvalidOperationException(
                $"trial {trial.TrialId} ('{trial.Architecture}') has no '{name(e)}' metric; was it trained by an older nas?")).ToArray();
        return new LearningCurve(trial.Architecture, seed, trial.Metrics.Parameters, (long)extra.GetValueOrDefault(MetricNames.Flops),
            PerEpoch(MetricNames.TrainLossEpoch), PerEpoch(MetricNames.TrainAccuracyEpoch), PerEpoch(MetricNames.ValidationLossEpoch),
            PerEpoch(MetricNames.ValidationAccuracyEpoch), PerEpoch(MetricNames.EpochSecondsOf));
    }
}
