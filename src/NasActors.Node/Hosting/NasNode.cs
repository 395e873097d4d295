using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NasActors.Engine.Searches;

namespace NasActors.Node.Hosting;

/// <summary>
/// A running node: the generic host with the actor system composed by <see cref="NasNodeHosting.WithNasNode"/>.
/// The CLI's embedded node and the node tests both start it this way.
/// </summary>
public sealed class NasNode : IAsyncDisposable
{
    private static readonly TimeSpan DefaultAskTimeout = TimeSpan.FromSeconds(60);
    private readonly IHost _host;

    private NasNode(IHost host, IActorRef searches)
    {
        _host = host;
        Searches = searches;
    }

    public ActorSystem System => _host.Services.GetRequiredService<ActorSystem>();

    /// <summary>The "search" shard region.</summary>
    public IActorRef Searches { get; }

    public static async Task<NasNode> StartAsync(NodeOptions options)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddAkka(NodeOptions.SystemName, (akka, _) => akka.WithNasNode(options));
        var host = builder.Build();
        await host.StartAsync();
        var searches = await host.Services.GetRequiredService<ActorRegistry>().GetAsync<SearchRegion>();
        return new NasNode(host, searches);
    }

    /// <summary>A shard region by its registry key (IslandRegion, ControllerRegion, ...).</summary>
    public Task<IActorRef> RegionAsync<TKey>() => _host.Services.GetRequiredService<ActorRegistry>().GetAsync<TKey>();

    public Task<T> AskAsync<T>(ISearchMessage message, TimeSpan? timeout = null) => Searches.Ask<T>(message, timeout ?? DefaultAskTimeout);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
