using System.ComponentModel;
using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Node.Storage;
using NasActors.Training.Export;
using NasActors.Training.Models;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NasActors.Cli.Commands;

/// <summary>
/// <c>nas export &lt;search-id&gt; --out DIR [--model best|&lt;trial&gt;]</c>: writes a trained model of a
/// search (see <see cref="ModelExporter"/>). The spec comes from the journal, read-only; the weights
/// from the store's trial artefacts.
/// </summary>
public sealed class ExportCommand : Command<ExportCommand.Settings>
{
    public sealed class Settings : SearchSettings
    {
        [CommandOption("--out <DIR>")]
        [Description("folder to write architecture.json, model.pt and state_dict.pth into (required)")]
        public string? Out { get; set; }

        [CommandOption("--model <WHICH>")]
        [Description("'best' or the number of a completed trial")]
        [DefaultValue("best")]
        public string Model { get; set; } = "best";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var searchId = settings.Id;
        var output = settings.Out ?? throw new UsageException("--out DIR is required");
        var status = new JournalReader(settings.JournalFile).Status(searchId, includeTrials: true);
        if (status.Phase == SearchPhase.NotStarted || status.Spec is null)
            throw new UsageException($"no search '{searchId}' in store '{Path.GetFullPath(settings.Store)}'");

        var trial = settings.Model == "best"
            ? status.Best ?? throw new UsageException($"search '{searchId}' has no completed trial to export yet")
            : int.TryParse(settings.Model, out var id) && status.Trials?.FirstOrDefault(t => t.TrialId == id && t.State == TrialState.Completed) is { } chosen
                ? chosen
                : throw new UsageException($"--model must be 'best' or the number of a completed trial of '{searchId}', got '{settings.Model}'");

        var definition = SearchDefinition.From(SearchSpecJson.Deserialize(status.Spec.SpecJson), new DatasetShape(status.Spec.Features, status.Spec.Classes));
        var genotype = CanonicalParser.Parse(definition.Space, trial.Architecture);
        var trials = Path.Combine(settings.SearchDirectory(searchId), "trials");
        var weights = ResultsReport.Weights(trials, trial)
                      ?? throw new UsageException($"trial {trial.TrialId} of '{searchId}' has no weights in '{trials}' (were the trial artefacts removed?)");

        ModelExporter.Export(NetworkFactory.For(definition), genotype, weights, output, new Dictionary<string, object?>
        {
            ["search"] = searchId.Value,
            ["trial"] = trial.TrialId,
            ["objective"] = trial.Objective,
            ["val_accuracy"] = trial.Metrics?.ValidationAccuracy
        });
        AnsiConsole.MarkupLine($"exported trial [bold]{trial.TrialId}[/] of [bold]{Markup.Escape(searchId.Value)}[/] to [bold]{Markup.Escape(Path.GetFullPath(output))}[/] " +
                               $"({ModelExporter.ArchitectureFile}, {ModelExporter.TorchSharpFile}, {ModelExporter.PyTorchFile})");
        return ExitCodes.Done;
    }
}
