using System.ComponentModel;
using NasActors.Core.Specs;
using NasActors.Engine.Searches;
using NasActors.Engine.Trainers.FaultInjection;
using NasActors.Node.Storage;
using Spectre.Console;
using Spectre.Console.Cli;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Cli.Commands;

/// <summary>
/// <c>nas run spec.yaml</c>: validates the spec and its dataset before touching the store, then
/// starts the search — or resumes it, or reports it (read-only) if it already finished. The id is
/// the spec's name plus a hash of what it searches (<see cref="SearchIdentity"/>), so the same spec
/// on the same data always finds the same search.
/// </summary>
public sealed class RunCommand : AsyncCommand<RunCommand.Settings>
{
    public class Settings : StoreSettings
    {
        [CommandArgument(0, "<spec>")]
        [Description("the search spec (YAML)")]
        public string Spec { get; set; } = "";

        /// <summary>The command that resumes this run, printed when it is interrupted.</summary>
        public virtual string ResumeCommand => $"{CommandName} {Spec}" + (Store != DefaultStore ? $" --store {Store}" : "");

        protected virtual string CommandName => "nas run";

        /// <summary>Least training time between a trial's epoch checkpoints (null: after every epoch).</summary>
        public virtual TimeSpan? CheckpointInterval => null;

        [CommandOption("--new")]
        [Description("start a fresh search even if this spec already ran (its id gets a timestamp)")]
        public bool New { get; set; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var spec = SearchIdentity.WithFingerprint(SpecReader.ReadFile(settings.Spec));
        var searchId = settings.New
            ? new SearchId($"{SearchIdentity.For(spec)}-{DateTime.UtcNow:yyyyMMddHHmmss}")
            : StoredId(spec, new JournalReader(settings.JournalFile));
        spec = WarmStartSource.Resolve(spec, id => WarmStartSource.FromStore(new JournalReader(settings.JournalFile), id));
        var definition = SearchDefinition.Load(spec); // reads the data: csv or idx, as the spec says
        definition.CheckSeeds();

        var stored = new JournalReader(settings.JournalFile).Status(searchId, includeTrials: true);
        if (stored.Phase is SearchPhase.Finished or SearchPhase.Failed or SearchPhase.Cancelled)
        {
            AnsiConsole.MarkupLine($"search [bold]{searchId}[/] already ran; stored results below (use --new to search again).");
            return ResultsReport.Show(settings.SearchDirectory(searchId), stored);
        }
        if (stored.Spec is { } storedSpec) SearchIdentity.CheckData(searchId, SearchSpecJson.Deserialize(storedSpec.SpecJson));

        // This spec's data (same fingerprint, perhaps a new path) and execution block drive this run's trainers;
        // NAS_FAULTS (a testing hook) is read before the store is touched.
        var evaluators = FaultInjectingEvaluatorProvider.FromEnvironment(new TorchEvaluatorProvider(spec.Dataset, settings.CheckpointInterval));
        using var writer = StoreLock.Acquire(Path.GetFullPath(settings.Store), $"nas run {settings.Spec}");
        await using var node = await EmbeddedNode.StartAsync(settings.Store, new TorchSupernetProvider(spec.Dataset));
        var status = await node.AskAsync<SearchStatus>(new GetStatus(searchId));
        switch (status.Phase)
        {
            case SearchPhase.Finished or SearchPhase.Failed or SearchPhase.Cancelled:
                // Finished between the read above and the lock (another writer's last trial).
                return ResultsReport.Show(node.SearchDirectory(searchId), await node.AskAsync<SearchStatus>(new GetStatus(searchId, IncludeTrials: true)));
            case SearchPhase.Running or SearchPhase.Paused:
                if (status.Phase == SearchPhase.Paused) await node.AskAsync<SearchStatus>(new ResumeSearch(searchId));
                AnsiConsole.MarkupLine($"resuming search [bold]{searchId}[/]: {status.Completed}/{status.Budget} trials already done");
                break;
            default:
                await node.AskAsync<SearchStatus>(new StartSearch(searchId, SearchSpecJson.Serialize(spec), definition.Shape.Features, definition.Shape.Classes));
                AnsiConsole.MarkupLine($"started search [bold]{searchId}[/]: {spec.Strategy.Name}, {spec.Budget.Trials} trials, {spec.Execution.Trainers} trainers");
                if (spec.WarmStart is { } warm) AnsiConsole.MarkupLine($"warm start: the strategy learned {warm.Known.Count} known results from {Markup.Escape(warm.Source)}");
                if (spec.Enqueue is { Count: > 0 } enqueued) AnsiConsole.MarkupLine($"enqueued: the first {enqueued.Count} trial(s) train the spec's architectures");
                break;
        }
        return await new SearchRunner(node, searchId, evaluators).RunAsync(definition, settings.New ? null : settings.ResumeCommand);
    }

    /// <summary>The id of this spec's search: the current one, else the one a store written before fingerprints gave it.</summary>
    private static SearchId StoredId(SearchSpec spec, JournalReader journal)
    {
        var id = SearchIdentity.For(spec);
        if (journal.Exists(id)) return id;
        var legacy = SearchIdentity.Legacy(spec);
        return journal.Exists(legacy) ? legacy : id;
    }
}
