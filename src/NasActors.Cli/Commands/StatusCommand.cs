using NasActors.Engine.Searches;
using Spectre.Console;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Cli.Commands;

/// <summary><c>nas status &lt;search-id&gt;</c>: a search's progress and best trial, read from the journal.</summary>
public static class StatusCommand
{
    public static async Task<int> ExecuteAsync(string[] words)
    {
        var args = new CliArguments(words, new HashSet<string>(), new HashSet<string> { "store" });
        var searchId = new SearchId(args.Single("search id"));
        await using var node = await EmbeddedNode.StartAsync(args.Value("store") ?? ".nas");
        var status = await node.AskAsync<SearchStatus>(new GetStatus(searchId));
        if (status.Phase == SearchPhase.NotStarted)
            throw new UsageException($"no search '{searchId}' in store '{node.StoreDirectory}'");
        var grid = new Grid().AddColumns(2)
            .AddRow("search", searchId.Value)
            .AddRow("phase", status.Phase.ToString())
            .AddRow("completed", $"{status.Completed}/{status.Budget}")
            .AddRow("failed", status.Failed.ToString())
            .AddRow("in flight", status.InFlight.ToString())
            .AddRow("best", status.Best is { } b ? Markup.Escape($"trial {b.TrialId}: {b.Architecture} (val acc {b.Metrics?.ValidationAccuracy:F4})") : "-");
        if (status.Message is { } message) grid.AddRow("note", Markup.Escape(message));
        AnsiConsole.Write(grid);
        return ExitCodes.Done;
    }
}
