using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace NasActors.Node.Http;

/// <summary>
/// The live cluster view of a node (<c>GET /api/cluster</c>) and its event stream (<c>GET /api/cluster/events</c>:
/// "membership" events (member up, leaving, removed, unreachable...) and "trainer" events (cooling down, wedged, or any
/// tracked state), each with its kind in the data, as the node sees them).
/// </summary>
public static class ClusterEndpoints
{
    public static IEndpointRouteBuilder MapLiveCluster(this IEndpointRouteBuilder endpoints, LiveCluster live, SearchViewCache views)
    {
        endpoints.MapGet("/api/cluster", async () => Results.Json(await live.ViewAsync(Leases(views)), DashboardEndpoints.Json));
        endpoints.MapGet("/api/cluster/events", (HttpContext context) => ServerSentEvents.Serve(context, () => live.LastEventId, last =>
        {
            var events = live.EventsAfter(last);
            return events.Count == 0
                ? (last, [])
                : (events[^1].Id, events.Select(e => new ServerSentEvent(e.Id, e.Kind.StartsWith("member-", StringComparison.Ordinal) ? "membership" : "trainer", JsonSerializer.Serialize(e, DashboardEndpoints.Json))).ToArray());
        }));
        return endpoints;
    }

    /// <summary>Which trainer holds which trial now, over every search in the journal.</summary>
    public static IReadOnlyDictionary<string, (string Search, int Trial)> Leases(SearchViewCache views)
    {
        var leases = new Dictionary<string, (string Search, int Trial)>(StringComparer.Ordinal);
        foreach (var view in views.All())
        foreach (var trial in view.Trials)
            if (trial is { State: "leased", Trainer: { } trainer })
                leases[trainer] = (view.Summary.Id, trial.TrialId);
        return leases;
    }
}
