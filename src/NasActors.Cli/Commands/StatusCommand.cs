using NasActors.Engine.Searches;
using NasActors.Node.Storage;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NasActors.Cli.Commands;

/// <summary>
/// <c>nas status &lt;search-id&gt;</c>: a search's progress and best trial, read from the journal
/// read-only — no actor system, no lock, so it works while the search runs in another process.
/// </summary>
public sealed class StatusCommand : AsyncCommand<ClusterSearchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClusterSearchSettings settings, CancellationToken cancellationToken)
    {
        var searchId = settings.Id;
        if (settings.Cluster is not null)
        {
            using var client = new ClusterClient(settings.Cluster, settings.TokenFile);
            ClusterSearchCommand.Show(await client.StatusAsync(searchId.Value));
            return ExitCodes.Done;
        }
        var status = new JournalReader(settings.JournalFile).Status(searchId);
        if (status.Phase == SearchPhase.NotStarted)
            throw new UsageException($"no search '{searchId}' in store '{Path.GetFullPath(settings.Store)}'");
        var grid = new Grid().AddColumns(2)
            .AddRow("search", Markup.Escape(searchId.Value))
            .AddRow("phase", status.Phase.ToString())
            .AddRow("completed", $"{status.Completed}/{status.Budget}{ResultsReport.CachedNote(status)}")
            .AddRow("failed", status.Failed.ToString())
            .AddRow("in flight", status.InFlight.ToString())
            .AddRow("best", status.Best is { } b ? Markup.Escape($"trial {b.TrialId}: {b.Architecture} (val acc {b.Metrics?.ValidationAccuracy:F4})") : "-");
        if (status.MeasuredHypervolume() is { } hypervolume) grid.AddRow("hypervolume", Markup.Escape(hypervolume.Describe()));
        if (status.Message is { } message) grid.AddRow("note", Markup.Escape(message));
        AnsiConsole.Write(grid);
        return ExitCodes.Done;
    }
}
