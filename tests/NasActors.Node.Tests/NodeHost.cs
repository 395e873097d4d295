using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NasActors.Engine.Searches;
using NasActors.Node.Hosting;

namespace NasActors.Node.Tests;

/// <summary>A real node built by the production composition root (<see cref="NasNodeHosting.WithNasNode"/>).</summary>
public sealed class NodeHost : IAsyncDisposable
{
    private readonly IHost _host;

    private NodeHost(IHost host, IActorRef searches)
    {
        _host = host;
        Searches = searches;
    }

    public IActorRef Searches { get; }

    public ActorSystem System => _host.Services.GetRequiredService<ActorSystem>();

    /// <summary>A shard region by its registry key (IslandRegion, ControllerRegion, ...).</summary>
    public Task<IActorRef> RegionAsync<TKey>() => _host.Services.GetRequiredService<ActorRegistry>().GetAsync<TKey>();

    public static async Task<NodeHost> StartAsync(NodeOptions options)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddAkka(NodeOptions.SystemName, (akka, _) => akka.WithNasNode(options));
        var host = builder.Build();
        await host.StartAsync();
        var searches = await host.Services.GetRequiredService<ActorRegistry>().GetAsync<SearchRegion>();
        return new NodeHost(host, searches);
    }

    public Task<T> AskAsync<T>(ISearchMessage message) => Searches.Ask<T>(message, TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
