using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NasActors.Engine.Searches;
using NasActors.Node.Hosting;

namespace NasActors.Cli;

/// <summary>
/// A single-node cluster inside this process, on the SQLite store under the store folder.
/// Akka's log goes to &lt;store&gt;/logs/node.log so the terminal shows only the search.
/// </summary>
public sealed class EmbeddedNode : IAsyncDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(60);
    private readonly IHost _host;

    private EmbeddedNode(IHost host, ActorSystem system, IActorRef searches, string storeDirectory)
    {
        _host = host;
        System = system;
        Searches = searches;
        StoreDirectory = storeDirectory;
    }

    public ActorSystem System { get; }
    public IActorRef Searches { get; }
    public string StoreDirectory { get; }

    public static async Task<EmbeddedNode> StartAsync(string storeDirectory)
    {
        var store = Path.GetFullPath(storeDirectory);
        var options = new NodeOptions { StoreDirectory = store, LogFile = Path.Combine(store, "logs", "node.log") };
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddAkka(NodeOptions.SystemName, (akka, _) => akka.WithNasNode(options));
        var host = builder.Build();
        await host.StartAsync();
        var system = host.Services.GetRequiredService<ActorSystem>();
        var searches = await host.Services.GetRequiredService<ActorRegistry>().GetAsync<SearchRegion>();
        return new EmbeddedNode(host, system, searches, store);
    }

    public Task<T> AskAsync<T>(ISearchMessage message) => Searches.Ask<T>(message, AskTimeout);

    public string SearchDirectory(SearchId id) => Path.Combine(StoreDirectory, "searches", id.Value);

    public async ValueTask DisposeAsync()
    {
        // While the actor system terminates, its last log lines bypass the file logger (already
        // stopped) and go to stdout: keep them off the user's terminal; the log file has the rest.
        var stdout = Console.Out;
        Console.SetOut(TextWriter.Null);
        try
        {
            await _host.StopAsync();
            _host.Dispose();
        }
        finally
        {
            Console.SetOut(stdout);
        }
    }
}
