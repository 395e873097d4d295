using Akka.Actor;
using Akka.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NasActors.Core.Specs;
using NasActors.Engine.Searches;
using NasActors.Node.Hosting;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Node.Http;

/// <summary>A search handed to the cluster: the client validated the spec and fingerprinted its data (as `nas run` does).</summary>
public sealed record SubmitRequest(string SearchId, string SpecJson, int Features, int Classes);

/// <summary>What the admin API answers about a search.</summary>
public sealed record SearchCommandReply(string SearchId, string Phase, int Completed, int Budget, int Failed, int InFlight, string? Best, string? Message)
{
    /// <summary>Trials answered from the ledger (<c>budget.cache</c>), not counted in <see cref="Completed"/>.</summary>
    public int Cached { get; init; }

    /// <summary>A multi-objective search's hypervolume and its reference point (<see cref="SearchStatus.MeasuredHypervolume"/>); else null.</summary>
    public HypervolumeReport? Hypervolume { get; init; }

    public static SearchCommandReply Of(SearchStatus s) => new(s.SearchId.Value, s.Phase.ToString(), s.Completed, s.Budget, s.Failed, s.InFlight,
        s.Best is { } b ? $"trial {b.TrialId}: {b.Architecture} (val acc {b.Metrics?.ValidationAccuracy:F4})" : null, s.Message)
    {
        Cached = s.Cached,
        Hypervolume = s.MeasuredHypervolume()
    };
}

/// <summary>A cluster member as `GET /api/cluster/members` lists it.</summary>
public sealed record MemberSummary(string Address, string Status, IReadOnlyList<string> Roles);

/// <summary>
/// The admin API's commands: POST /api/searches (submit), POST /api/searches/{id}/pause|resume|cancel,
/// GET /api/searches/{id}/status and GET /api/cluster/members. Mutating calls need the bearer token when one is set.
/// </summary>
public static class SearchCommandEndpoints
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);

    public static IEndpointRouteBuilder MapSearchCommands(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/searches", async (SubmitRequest submit, HttpRequest request, NasNode node, AdminToken token) =>
        {
            if (!token.Allows(request)) return Results.Unauthorized();
            if (!IsSearchId(submit.SearchId) || string.IsNullOrWhiteSpace(submit.SpecJson) || submit.Features < 1 || submit.Classes < 2)
                return Results.BadRequest(new { error = "expected searchId (letters, digits, '-', '_', '.'), specJson, features ≥ 1 and classes ≥ 2" });
            var id = new SearchId(submit.SearchId);
            var status = await node.Searches.Ask<SearchStatus>(new GetStatus(id), AskTimeout);
            if (status.Phase == SearchPhase.NotStarted)
                status = await node.Searches.Ask<SearchStatus>(new StartSearch(id, submit.SpecJson, submit.Features, submit.Classes), AskTimeout);
            return Results.Ok(SearchCommandReply.Of(status));
        });
        MapCommand(app, "pause", id => new PauseSearch(id, "paused by nas pause"));
        MapCommand(app, "resume", id => new ResumeSearch(id));
        MapCommand(app, "cancel", id => new CancelSearch(id, "cancelled by nas cancel"));
        app.MapGet("/api/searches/{id}/status", async (string id, NasNode node) =>
        {
            if (!IsSearchId(id)) return Results.BadRequest(new { error = $"'{id}' is not a search id" });
            var status = await node.Searches.Ask<SearchStatus>(new GetStatus(new SearchId(id)), AskTimeout);
            return status.Phase == SearchPhase.NotStarted ? Results.NotFound(new { error = $"no search '{id}'" }) : Results.Ok(SearchCommandReply.Of(status));
        });
        app.MapGet("/api/cluster/members", (NasNode node) =>
            Results.Ok(Cluster.Get(node.System).State.Members
                .Select(m => new MemberSummary(m.Address.ToString(), m.Status.ToString(), m.Roles.Order().ToArray()))
                .ToArray()));
        return app;
    }

    private static void MapCommand(IEndpointRouteBuilder app, string verb, Func<SearchId, ISearchMessage> command) =>
        app.MapPost($"/api/searches/{{id}}/{verb}", async (string id, HttpRequest request, NasNode node, AdminToken token) =>
        {
            if (!token.Allows(request)) return Results.Unauthorized();
            if (!IsSearchId(id)) return Results.BadRequest(new { error = $"'{id}' is not a search id" });
            var searchId = new SearchId(id);
            var current = await node.Searches.Ask<SearchStatus>(new GetStatus(searchId), AskTimeout);
            if (current.Phase == SearchPhase.NotStarted) return Results.NotFound(new { error = $"no search '{id}'" });
            return Results.Ok(SearchCommandReply.Of(await node.Searches.Ask<SearchStatus>(command(searchId), AskTimeout)));
        });

    /// <summary>The same rule as the CLI's: letters, digits, '-', '_', '.', not starting with '.'.</summary>
    public static bool IsSearchId(string id) =>
        id.Length is > 0 and <= 200 && id[0] != '.' && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
