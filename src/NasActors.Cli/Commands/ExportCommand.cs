using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using NasActors.Engine.Searches;
using NasActors.Training.Export;
using NasActors.Training.Models;
using NasActors.Training.Trials;
using Spectre.Console;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Cli.Commands;

/// <summary>
/// <c>nas export &lt;search-id&gt; --model best|&lt;trial&gt; --out DIR [--store DIR]</c>: writes a trained
/// model of a search (see <see cref="ModelExporter"/>). The spec comes from the journal, the weights
/// from the store's trial artefacts.
/// </summary>
public static class ExportCommand
{
    public static async Task<int> ExecuteAsync(string[] words)
    {
        var args = new CliArguments(words, new HashSet<string>(), new HashSet<string> { "model", "out", "store" });
        var searchId = new SearchId(args.Single("search id"));
        var which = args.Value("model") ?? "best";
        var output = args.Value("out") ?? throw new UsageException("--out DIR is required");
        await using var node = await EmbeddedNode.StartAsync(args.Value("store") ?? ".nas");
        var status = await node.AskAsync<SearchStatus>(new GetStatus(searchId, IncludeTrials: true));
        if (status.Phase == SearchPhase.NotStarted || status.Spec is null)
            throw new UsageException($"no search '{searchId}' in store '{node.StoreDirectory}'");

        var trial = which == "best"
            ? status.Best ?? throw new UsageException($"search '{searchId}' has no completed trial to export yet")
            : int.TryParse(which, out var id) && status.Trials?.FirstOrDefault(t => t.TrialId == id && t.State == TrialState.Completed) is { } chosen
                ? chosen
                : throw new UsageException($"--model must be 'best' or the number of a completed trial of '{searchId}', got '{which}'");

        var definition = SearchDefinition.From(SearchSpecJson.Deserialize(status.Spec.SpecJson), new DatasetShape(status.Spec.Features, status.Spec.Classes));
        var genotype = CanonicalParser.Parse(definition.Space, trial.Architecture);
        var weights = TorchTrialEvaluator.WeightsPath(Path.Combine(node.SearchDirectory(searchId), "trials"), trial.TrialId);
        if (!File.Exists(weights))
            throw new UsageException($"trial {trial.TrialId} of '{searchId}' has no weights at '{weights}' (were the trial artefacts removed?)");

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
