using NasActors.Core.Data;
using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using NasActors.Engine.Searches;
using NasActors.Engine.Trainers.FaultInjection;
using Spectre.Console;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Cli.Commands;

/// <summary>
/// <c>nas run spec.yaml</c>: validates the spec and its dataset before touching the store, then
/// starts the search — or resumes it, or reports it if it already finished. A search's id is
/// its name plus a hash of the spec, so the same spec always finds the same search.
/// </summary>
public static class RunCommand
{
    public static async Task<int> ExecuteAsync(string[] words)
    {
        var args = new CliArguments(words, new HashSet<string> { "new" }, new HashSet<string> { "store" });
        var specPath = args.Single("spec file");
        var spec = SpecReader.ReadFile(specPath);
        var definition = SearchDefinition.Load(spec); // csv or idx, as the spec says
        var specJson = SearchSpecJson.Serialize(spec);
        var searchId = new SearchId($"{spec.Name}-{Genotype.StableHash(specJson) >> 32:x8}"
                                    + (args.Has("new") ? $"-{DateTime.UtcNow:yyyyMMddHHmmss}" : ""));

        await using var node = await EmbeddedNode.StartAsync(args.Value("store") ?? ".nas");
        var status = await node.AskAsync<SearchStatus>(new GetStatus(searchId, IncludeTrials: true));
        switch (status.Phase)
        {
            case SearchPhase.Finished or SearchPhase.Failed or SearchPhase.Cancelled:
                AnsiConsole.MarkupLine($"search [bold]{searchId}[/] already ran; stored results below (use --new to search again).");
                return ResultsReport.Show(node, status);
            case SearchPhase.Running or SearchPhase.Paused:
                if (status.Phase == SearchPhase.Paused) await node.AskAsync<SearchStatus>(new ResumeSearch(searchId));
                AnsiConsole.MarkupLine($"resuming search [bold]{searchId}[/]: {status.Completed}/{status.Budget} trials already done");
                break;
            default:
                await node.AskAsync<SearchStatus>(new StartSearch(searchId, specJson, definition.Shape.Features, definition.Shape.Classes));
                AnsiConsole.MarkupLine($"started search [bold]{searchId}[/]: {spec.Strategy.Name}, {spec.Budget.Trials} trials, {spec.Execution.Trainers} trainers");
                break;
        }
        var hint = $"nas run {specPath}" + (args.Value("store") is { } store ? $" --store {store}" : "");
        return await new SearchRunner(node, searchId, FaultInjectingEvaluatorProvider.FromEnvironment(new TorchEvaluatorProvider())).RunAsync(definition, args.Has("new") ? null : hint);
    }
}
