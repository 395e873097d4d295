using NasActors.Core.Specs;
using NasActors.Engine.Searches;
using NasActors.Engine.Trainers.FaultInjection;
using NasActors.Node.Storage;
using Spectre.Console;
using Spectre.Console.Cli;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Cli.Commands;

/// <summary><c>nas resume &lt;search-id&gt;</c>: continues a search from its journal alone (the spec is stored there).</summary>
public sealed class ResumeCommand : AsyncCommand<ClusterSearchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClusterSearchSettings settings, CancellationToken cancellationToken)
    {
        var searchId = settings.Id;
        if (settings.Cluster is not null)
        {
            // A search on a cluster: resume a paused one there; its trainers pick it up.
            using var client = new ClusterClient(settings.Cluster, settings.TokenFile);
            ClusterSearchCommand.Show(await client.CommandAsync("resume", searchId.Value));
            return ExitCodes.Done;
        }
        var stored = new JournalReader(settings.JournalFile).Status(searchId, includeTrials: true);
        switch (stored.Phase)
        {
            case SearchPhase.NotStarted:
                throw new UsageException($"no search '{searchId}' in store '{Path.GetFullPath(settings.Store)}'");
            case SearchPhase.Finished or SearchPhase.Failed or SearchPhase.Cancelled:
                AnsiConsole.MarkupLine($"search [bold]{searchId}[/] already ran; stored results below.");
                return ResultsReport.Show(settings.SearchDirectory(searchId), stored);
        }
        var spec = SearchSpecJson.Deserialize(stored.Spec!.SpecJson);
        SearchIdentity.CheckData(searchId, spec);

        using var writer = StoreLock.Acquire(Path.GetFullPath(settings.Store), $"nas resume {searchId}");
        await using var node = await EmbeddedNode.StartAsync(settings.Store);
        var status = await node.AskAsync<SearchStatus>(new GetStatus(searchId));
        if (status.Phase is SearchPhase.Finished or SearchPhase.Failed or SearchPhase.Cancelled)
            return ResultsReport.Show(node.SearchDirectory(searchId), await node.AskAsync<SearchStatus>(new GetStatus(searchId, IncludeTrials: true)));
        if (status.Phase == SearchPhase.Paused) await node.AskAsync<SearchStatus>(new ResumeSearch(searchId));
        var definition = SearchDefinition.From(spec, new DatasetShape(stored.Spec.Features, stored.Spec.Classes));
        AnsiConsole.MarkupLine($"resuming search [bold]{searchId}[/]: {status.Completed}/{status.Budget} trials already done");
        return await new SearchRunner(node, searchId, FaultInjectingEvaluatorProvider.FromEnvironment(new TorchEvaluatorProvider())).RunAsync(definition, null);
    }
}
