using NasActors.Node.Http;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NasActors.Cli.Commands;

/// <summary><c>nas pause|cancel &lt;id&gt; --cluster host:port</c>: a command to a search on a running cluster (the verb is the command's data).</summary>
public sealed class ClusterSearchCommand : AsyncCommand<ClusterSearchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClusterSearchSettings settings, CancellationToken cancellationToken)
    {
        var verb = (string)context.Data!;
        if (settings.Cluster is null) throw new UsageException($"--cluster: required for nas {verb} (a node's admin API, e.g. 127.0.0.1:9110)");
        using var client = new ClusterClient(settings.Cluster, settings.TokenFile);
        Show(await client.CommandAsync(verb, settings.Id.Value));
        return ExitCodes.Done;
    }

    public static void Show(SearchCommandReply status)
    {
        var grid = new Grid().AddColumns(2)
            .AddRow("search", Markup.Escape(status.SearchId))
            .AddRow("phase", status.Phase)
            .AddRow("completed", $"{status.Completed}/{status.Budget}{ResultsReport.CachedNote(status.Cached)}")
            .AddRow("failed", status.Failed.ToString())
            .AddRow("in flight", status.InFlight.ToString())
            .AddRow("best", Markup.Escape(status.Best ?? "-"));
        if (status.Hypervolume is { } hypervolume) grid.AddRow("hypervolume", Markup.Escape(hypervolume.Describe()));
        if (status.Message is { } message) grid.AddRow("note", Markup.Escape(message));
        AnsiConsole.Write(grid);
    }
}
