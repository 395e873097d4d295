using System.ComponentModel;
using NasActors.Core.Specs;
using NasActors.Engine.Searches;
using NasActors.Node.Http;
using Spectre.Console.Cli;

namespace NasActors.Cli.Commands;

/// <summary>
/// <c>nas submit spec.yaml --cluster host:port</c>: validates the spec and fingerprints its data here (as
/// <c>nas run</c> does, so the same spec on the same data names the same search), hands the search to a
/// running cluster through a node's admin API and prints its id. Submitting a running search again is a no-op.
/// </summary>
public sealed class SubmitCommand : AsyncCommand<SubmitCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<spec>")]
        [Description("the search spec (YAML); its dataset path must be readable by the cluster's trainer nodes")]
        public string Spec { get; set; } = "";

        [CommandOption("--cluster <HOST:PORT>")]
        [Description("a node's admin API (nas node --admin-port, default 9110)")]
        public string? Cluster { get; set; }

        [CommandOption("--token-file <FILE>")]
        [Description("file holding the admin API's bearer token (or set NAS__Admin__Token)")]
        public string? TokenFile { get; set; }

        [CommandOption("--new")]
        [Description("start a fresh search even if this spec already ran (its id gets a timestamp)")]
        public bool New { get; set; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Cluster is null) throw new UsageException("--cluster: required (a node's admin API, e.g. 127.0.0.1:9110)");
        using var client = new ClusterClient(settings.Cluster, settings.TokenFile);
        var spec = SearchIdentity.WithFingerprint(SpecReader.ReadFile(settings.Spec));
        var searchId = settings.New ? new SearchId($"{SearchIdentity.For(spec)}-{DateTime.UtcNow:yyyyMMddHHmmss}") : SearchIdentity.For(spec);
        spec = WarmStartSource.Resolve(spec, _ => throw new UsageException(
            "warm_start.search reads a search of nas run's store; to warm-start a search on a cluster, give warm_start.results: a results.csv"));
        var definition = SearchDefinition.Load(spec); // reads the data: the spec is refused here, not on the cluster
        definition.CheckSeeds();
        var status = await client.SubmitAsync(new SubmitRequest(searchId.Value, SearchSpecJson.Serialize(spec), definition.Shape.Features, definition.Shape.Classes));
        Console.Error.WriteLine($"search {status.SearchId}: {status.Phase}, {status.Completed}/{status.Budget} trials done");
        Console.WriteLine(status.SearchId);
        return ExitCodes.Done;
    }
}
