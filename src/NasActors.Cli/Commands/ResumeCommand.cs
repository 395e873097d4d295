using NasActors.Core.Specs;
using NasActors.Engine.Searches;
using NasActors.Engine.Trainers.FaultInjection;
using Spectre.Console;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Cli.Commands;

/// <summary><c>nas resume &lt;search-id&gt;</c>: continues a search from its journal alone (the spec is stored there).</summary>
public static class ResumeCommand
{
    public static async Task<int> ExecuteAsync(string[] words)
    {
        var args = new CliArguments(words, new HashSet<string>(), new HashSet<string> { "store" });
        var searchId = new SearchId(args.Single("search id"));
        await using var node = await EmbeddedNode.StartAsync(args.Value("store") ?? ".nas");
        var status = await node.AskAsync<SearchStatus>(new GetStatus(searchId, IncludeTrials: true));
        switch (status.Phase)
        {
            case SearchPhase.NotStarted:
                throw new UsageException($"no search '{searchId}' in store '{node.StoreDirectory}'");
            case SearchPhase.Finished or SearchPhase.Failed or SearchPhase.Cancelled:
                AnsiConsole.MarkupLine($"search [bold]{searchId}[/] already ran; stored results below.");
                return ResultsReport.Show(node, status);
        }
        if (status.Phase == SearchPhase.Paused) await node.AskAsync<SearchStatus>(new ResumeSearch(searchId));
        var spec = status.Spec!;
        var definition = SearchDefinition.From(SearchSpecJson.Deserialize(spec.SpecJson), new DatasetShape(spec.Features, spec.Classes));
        AnsiConsole.MarkupLine($"resuming search [bold]{searchId}[/]: {status.Completed}/{status.Budget} trials already done");
        return await new SearchRunner(node, searchId, FaultInjectingEvaluatorProvider.FromEnvironment(new TorchEvaluatorProvider())).RunAsync(definition, null);
    }
}
