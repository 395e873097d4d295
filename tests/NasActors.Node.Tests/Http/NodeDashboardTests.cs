using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Engine.Trainers;
using NasActors.Node.Hosting;
using NasActors.Node.Http;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Node.Tests.Http;

/// <summary>
/// A node's web host over each store: the read API from its journal (SQLite or PostgreSQL), the live cluster view
/// (members; with no roster on the node, trainers training or idle from the journal's leases and a trainer quarantined by
/// its cool-down event from the event stream; the names of `nas admin trainer list`), the
/// cluster's event stream, and /metrics with the journal counters, the node's trainer gauges and journal write latency.
/// </summary>
public abstract class NodeDashboardTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    protected readonly string Store = Directory.CreateTempSubdirectory("nas-web-").FullName;
    private readonly LiveCluster.LocalTrainer[] _trainers = [new("box-1-t0", "cpu"), new("box-1-t1", "cuda:0")];
    private NasNode? _node;
    private NodeWebHost? _web;
    private HttpClient? _http;

    protected abstract NodeOptions Options();

    public async Task InitializeAsync()
    {
        var options = Options() with { Admin = new AdminEndpoint { Port = FreePort() } };
        _node = await NasNode.StartAsync(options);
        _web = await NodeWebHost.StartAsync(_node, options, _trainers);
        _http = new HttpClient { BaseAddress = new Uri(_web.Url), Timeout = Patience };
    }

    [Fact]
    public async Task The_node_serves_its_journal_its_cluster_and_its_metrics()
    {
        var id = new SearchId("web-1");
        await _node!.AskAsync<SearchStatus>(new StartSearch(id, TestSpec.Json(trials: 5, snapshotEvery: 2), 4, 3));
        for (var i = 0; i < 2; i++)
        {
            var work = await _node.AskAsync<WorkAssigned>(new RequestWork(id, "box-1-t0", false));
            await _node.AskAsync<ResultAccepted>(new ReportResult(id, "box-1-t0", work.Trial.TrialId, work.LeaseEpoch, new TrialMetrics(0.3 + 0.1 * i, 1, 10, 1)));
        }
        var held = await _node.AskAsync<WorkAssigned>(new RequestWork(id, "box-1-t0", false));

        // The read API, from the journal (snapshots every 2 events: the state comes from snapshot + events).
        using var searches = await Json("api/searches");
        var search = searches.RootElement.EnumerateArray().Single();
        Assert.Equal("web-1", search.GetProperty("id").GetString());
        Assert.Equal(2, search.GetProperty("completed").GetInt32());
        Assert.Equal(1, search.GetProperty("leased").GetInt32());
        using var history = await Json("api/searches/web-1");
        Assert.Equal(2, history.RootElement.GetProperty("history").GetArrayLength());

        // The cluster: this node Up; t0 training the held trial (the journal's lease), t1 idle on its device.
        using var cluster = await Json("api/cluster");
        var self = cluster.RootElement.GetProperty("self").GetString();
        var member = cluster.RootElement.GetProperty("members").EnumerateArray().Single();
        Assert.Equal((self, "Up"), (member.GetProperty("address").GetString(), member.GetProperty("status").GetString()));
        var trainers = cluster.RootElement.GetProperty("trainers").EnumerateArray().ToDictionary(t => t.GetProperty("trainer").GetString()!);
        Assert.Equal("training", trainers["box-1-t0"].GetProperty("state").GetString());
        Assert.Equal(held.Trial.TrialId, trainers["box-1-t0"].GetProperty("currentTrial").GetInt32());
        Assert.Equal(("idle", "cuda:0"), (trainers["box-1-t1"].GetProperty("state").GetString(), trainers["box-1-t1"].GetProperty("device").GetString()));
        var node = cluster.RootElement.GetProperty("nodes").EnumerateArray().Single();
        Assert.Equal(0.5, node.GetProperty("utilisation").GetDouble());

        // A trainer cooling down (published on the node's event stream) shows in the view and on the event stream.
        using var events = await _http!.SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/cluster/events") { Headers = { { "Last-Event-ID", "0" } } },
            HttpCompletionOption.ResponseHeadersRead);
        using var stream = new StreamReader(await events.Content.ReadAsStreamAsync());
        await ReadUntil(stream, "event: membership");
        _node.System.EventStream.Publish(new TrainerCoolingDown("box-1-t1", "cuda:0", 3, TimeSpan.FromMinutes(5), "CUDA error: device-side assert"));
        var line = await ReadUntil(stream, "event: trainer");
        Assert.Contains("trainer-quarantined", await stream.ReadLineAsync());
        Assert.StartsWith("event: trainer", line);
        using var cooling = await Json("api/cluster");
        var t1 = cooling.RootElement.GetProperty("trainers").EnumerateArray().Single(t => t.GetProperty("trainer").GetString() == "box-1-t1");
        Assert.Equal("quarantined", t1.GetProperty("state").GetString());
        Assert.Contains("CUDA error", t1.GetProperty("reason").GetString());

        // /metrics: the journal's counters, this node's trainers, the journal's write latency and the runtime's meter.
        var metrics = await _http.GetStringAsync("metrics");
        Assert.Contains("nas_trials_completed_total{search=\"web-1\"} 2", metrics);
        Assert.Contains("nas_queue_depth{search=\"web-1\",state=\"leased\"} 1", metrics);
        Assert.Contains($"nas_trainer_utilisation{{node=\"{self}\"}} 0.5", metrics);
        Assert.Contains($"nas_trainers_quarantined{{node=\"{self}\"}} 1", metrics);
        Assert.Contains($"nas_trainers{{node=\"{self}\",state=\"training\"}} 1", metrics);
        var writes = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("nasactors_engine_journal_write_seconds_count", StringComparison.Ordinal));
        Assert.True(writes is not null, metrics);
        Assert.True(double.Parse(writes!.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture) >= 3, writes);
        // and the runtime's meter: this process has compiled methods by now
        var jitted = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("system_runtime_dotnet_jit_compiled_methods ", StringComparison.Ordinal));
        Assert.True(jitted is not null, metrics);
        Assert.True(double.Parse(jitted!.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture) > 0, jitted);
    }

    private async Task<JsonDocument> Json(string path) => JsonDocument.Parse(await _http!.GetStringAsync(path));

    /// <summary>Reads lines until one starts with <paramref name="prefix"/>; the SSE feed polls every 0.5 s.</summary>
    private static async Task<string> ReadUntil(StreamReader stream, string prefix)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (await stream.ReadLineAsync(timeout.Token) is { } line)
            if (line.StartsWith(prefix, StringComparison.Ordinal)) return line;
        throw new EndOfStreamException($"the event stream ended before '{prefix}'");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_web is not null) await _web.DisposeAsync();
        if (_node is not null) await _node.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Store, recursive: true);
    }
}

public sealed class SqliteNodeDashboardTests : NodeDashboardTests
{
    protected override NodeOptions Options() => new() { StoreDirectory = Store, LogFile = Path.Combine(Store, "logs", "node.log") };
}

public sealed class PostgresNodeDashboardTests(PostgresServer postgres) : NodeDashboardTests, IClassFixture<PostgresServer>
{
    protected override NodeOptions Options() => new()
    {
        StoreDirectory = Store, Storage = StorageKind.PostgreSql, ConnectionString = postgres.NewDatabase(),
        LogFile = Path.Combine(Store, "logs", "node.log")
    };

    [Fact]
    public void A_database_without_tables_reads_as_an_empty_journal()
    {
        var source = new PostgresJournalSource(postgres.NewDatabase());
        Assert.Empty(source.Searches());
        Assert.Equal(0, source.LastOrdering());
        Assert.Equal(SearchPhase.NotStarted, source.State(new SearchId("none")).Phase);
        Assert.Empty(source.Events(new SearchId("none")));
    }
}
