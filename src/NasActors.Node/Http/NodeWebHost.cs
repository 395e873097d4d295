using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NasActors.Node.Hosting;

namespace NasActors.Node.Http;

/// <summary>
/// The admin HTTP API of a running `nas node` (ASP.NET Core minimal API on <see cref="AdminEndpoint"/>):
/// the commands of <see cref="SearchCommandEndpoints"/> (submit, pause, resume, cancel, members) and, from
/// the dashboard, read-only GET endpoints. Bound to loopback unless configured; off loopback a bearer token
/// guards every mutating call (<see cref="AdminToken"/>).
/// </summary>
public sealed class NodeWebHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private NodeWebHost(WebApplication app) => _app = app;

    /// <summary>The address it listens at (http://host:port).</summary>
    public string Url => _app.Urls.First();

    /// <param name="trainers">The trainers this node started, for the dashboard's cluster view and /metrics.</param>
    public static async Task<NodeWebHost> StartAsync(NasNode node, NodeOptions options, IReadOnlyList<LiveCluster.LocalTrainer>? trainers = null)
    {
        var builder = QuietWebBuilder.Create();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{HostForUrl(options.Admin.Host)}:{options.Admin.Port}");
        builder.Services.AddSingleton(node);
        builder.Services.AddSingleton(new AdminToken(options.Admin.Token));
        var app = builder.Build();

        app.MapSearchCommands();
        app.MapAdmin(node.System.ActorOf(Akka.Actor.Props.Create<Logging.LogRing>(), Logging.LogRing.Name));
        // The dashboard and read API read the journal, SQLite's or PostgreSQL's; the cluster view and the node's
        // own metrics come from this node.
        var live = new LiveCluster(node.System, trainers ?? []);
        live.Start();
        app.MapDashboard(JournalSource(options), live);

        await app.StartAsync();
        return new NodeWebHost(app);
    }

    public static IJournalSource JournalSource(NodeOptions options) => options.Storage == StorageKind.Sqlite
        ? new SqliteJournalSource(new Storage.JournalReader(options.SqliteFile))
        : new PostgresJournalSource(options.ConnectionString ?? throw new ArgumentException("a PostgreSQL store needs a connection string"));

    private static string HostForUrl(string host) => host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
