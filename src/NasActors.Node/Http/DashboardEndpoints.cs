using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NasActors.Engine.Searches;
using Prometheus;

namespace NasActors.Node.Http;

/// <summary>
/// The read side of the HTTP API, the dashboard page and /metrics, all from an <see cref="IJournalSource"/>.
/// GET only: commands (pause, resume, cancel) are the node host's, which maps them beside these and passes its
/// <see cref="LiveCluster"/> for the cluster view and the node's own metrics.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>Web JSON (camelCase), with NaN and infinities written as strings instead of failing the response.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never
    };

    /// <param name="live">The cluster as the serving node sees it; null where no node runs the searches (<c>nas dashboard</c>):
    /// then the page's pause/resume/cancel buttons are disabled and its cluster view comes from the journal alone.</param>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints, IJournalSource source, LiveCluster? live = null)
    {
        var views = new SearchViewCache(source);
        var metrics = new DashboardMetrics(views);
        var readOnly = live is null;
        if (live is not null)
        {
            endpoints.MapLiveCluster(live, views);
            var nodeMetrics = new NodeMetrics(metrics.Registry, live, () => ClusterEndpoints.Leases(views));
            endpoints.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(nodeMetrics.Dispose);
        }

        endpoints.MapGet("/api/info", () => Results.Json(new { readOnly, cluster = live is not null, version = typeof(DashboardEndpoints).Assembly.GetName().Version?.ToString() }, Json));
        endpoints.MapGet("/api/searches", () => Results.Json(views.All().Select(v => v.Summary), Json));
        endpoints.MapGet("/api/searches/{id}", (string id) => WithView(views, id, v => Results.Json(new
        {
            v.Summary, v.Objectives, v.Decisions, v.History, v.Trainers
        }, Json)));
        endpoints.MapGet("/api/searches/{id}/trials", (string id, string? state, string? sort, bool? desc, int? page, int? size) =>
            WithView(views, id, v =>
            {
                var (result, error) = new TrialQuery(state, sort, desc ?? false, page ?? 1, size ?? 100).Apply(v.Trials);
                return error is not null ? Results.Json(new { error }, Json, statusCode: 400) : Results.Json(result, Json);
            }));
        endpoints.MapGet("/api/searches/{id}/best", (string id) => WithView(views, id, v =>
            v.Summary.BestTrialId is { } best ? Results.Json(v.Trials.First(t => t.TrialId == best), Json)
                : Results.Json(new { error = $"search {id} has no completed trial yet" }, Json, statusCode: 404)));
        endpoints.MapGet("/api/searches/{id}/pareto", (string id) => WithView(views, id, v =>
            v.Objectives.Count >= 2 ? Results.Json(ParetoFront.Of(v), Json)
                : Results.Json(new { error = $"search {id} has one objective; a Pareto front needs two or more" }, Json, statusCode: 404)));
        endpoints.MapGet("/api/searches/{id}/importance", (string id) => WithView(views, id, v => Results.Json(HyperparameterImportance.Of(v), Json)));
        endpoints.MapGet("/api/searches/{id}/events", (string id, HttpContext context) =>
            JournalEventStream.Serve(context, source, new SearchId(id)));
        endpoints.MapGet("/api/events", (HttpContext context) => JournalEventStream.Serve(context, source, null));

        endpoints.MapGet("/metrics", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });

        endpoints.MapGet("/", () => DashboardAssets.Serve("index.html"));
        endpoints.MapGet("/assets/{name}", (string name) => DashboardAssets.Serve(name));
        return endpoints;
    }

    private static IResult WithView(SearchViewCache views, string id, Func<SearchView, IResult> respond) =>
        views.Get(new SearchId(id)) is { } view ? respond(view) : Results.Json(new { error = $"no search '{id}' in the journal" }, Json, statusCode: 404);
}
