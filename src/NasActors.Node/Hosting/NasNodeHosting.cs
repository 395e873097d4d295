using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using Akka.Remote.Hosting;
using LinqToDB;
using NasActors.Engine.Agents;
using NasActors.Engine.Controllers;
using NasActors.Engine.Entities;
using NasActors.Engine.Islands;
using NasActors.Engine.Members;
using NasActors.Engine.Searches;
using NasActors.Engine.Searches.Index;
using NasActors.Engine.Serialization;
using NasActors.Engine.Supernets;
using NasActors.Node.Logging;
using NasActors.Node.Storage;

namespace NasActors.Node.Hosting;

/// <summary>
/// The composition root's building blocks: each feature is one extension on the Akka.Hosting
/// builder, chained by <see cref="WithNasNode"/>. Tests call the same extensions.
/// </summary>
public static class NasNodeHosting
{
    public static AkkaConfigurationBuilder WithNasNode(this AkkaConfigurationBuilder builder, NodeOptions options) =>
        builder
            .WithNasLogging(options)
            .WithNasSerialization()
            .WithNasRemoting(options)
            .WithNasClustering(options)
            .WithNasClusterResilience(options)
            .WithNasPersistence(options)
            .WithStrategyEntities(options)
            .WithSearches(options)
            .WithSearchIndex(options);

    public static AkkaConfigurationBuilder WithNasLogging(this AkkaConfigurationBuilder builder, NodeOptions options)
    {
        if (options.LogFile is null) return builder;
        FileLogger.Target = options.LogFile;
        return builder.ConfigureLoggers(logging =>
        {
            logging.ClearLoggers();
            logging.AddLogger<FileLogger>();
        }).AddHocon("akka.stdout-loglevel = OFF\nakka.log-dead-letters-during-shutdown = off", HoconAddMode.Prepend);
    }

    public static AkkaConfigurationBuilder WithNasClustering(this AkkaConfigurationBuilder builder, NodeOptions options)
    {
        // The process handles SIGTERM itself (`nas node` drains its trainers first, `nas run` reports where it
        // stopped); Akka's CLR exit hook would leave the cluster before that. Disposing the node runs CoordinatedShutdown.
        builder.AddHocon("akka.coordinated-shutdown.run-by-clr-shutdown-hook = off", HoconAddMode.Prepend);
        builder.WithClustering(new ClusterOptions
        {
            Roles = options.Roles.ToArray(),
            SeedNodes = options.SeedNodes.ToArray()
        });
        if (options.SeedNodes.Count > 0) return builder;
        // Embedded mode: a cluster of one, joined to itself as soon as the system is up.
        return builder.AddStartup((system, _) =>
        {
            var cluster = Cluster.Get(system);
            cluster.Join(cluster.SelfAddress);
        });
    }

    public static AkkaConfigurationBuilder WithNasPersistence(this AkkaConfigurationBuilder builder, NodeOptions options)
    {
        var (connectionString, provider) = options.Storage switch
        {
            StorageKind.Sqlite => (SqliteStore.Prepare(options.SqliteFile), ProviderName.SQLiteMS),
            StorageKind.PostgreSql => (options.ConnectionString ?? throw new ArgumentException("a PostgreSQL store needs a connection string"), ProviderName.PostgreSQL15),
            _ => throw new ArgumentOutOfRangeException(nameof(options))
        };
        return builder
            .WithSqlPersistence(connectionString, provider, autoInitialize: true)
            // A journal outage opens Akka's circuit breakers; their default reset (journal 30 s, snapshots
            // 60 s, longer again when the first probe meets a stale pooled connection) kept a search idle
            // for ~50 s after a 20 s PostgreSQL outage had ended. Probing every few seconds costs nothing.
            .AddHocon("""
                akka.persistence.journal.sql.circuit-breaker.reset-timeout = 3s
                akka.persistence.snapshot-store.sql.circuit-breaker.reset-timeout = 3s
                """, HoconAddMode.Prepend);
    }

    /// <summary>
    /// Binds every type of every manifest table (<see cref="NasManifests.All"/>) to its area's serializer, so no event,
    /// snapshot or message of ours is written by Akka's default serializer (JSON with CLR type names).
    /// </summary>
    public static AkkaConfigurationBuilder WithNasSerialization(this AkkaConfigurationBuilder builder)
    {
        foreach (var table in NasManifests.All)
            builder.WithCustomSerializer(table.Name, table.Types, system => new ManifestSerializer(system, table));
        return builder;
    }

    public static AkkaConfigurationBuilder WithSearches(this AkkaConfigurationBuilder builder, NodeOptions options) =>
        options.HostsShards
            ? builder.WithShardRegion<SearchRegion>(
                SearchRegion.Name,
                // Regions are looked up when a coordinator is created, by then every region is registered.
                (_, registry) => searchId => SearchCoordinator.Props(searchId, regions: Regions(registry, options)),
                new SearchMessageExtractor(),
                Sharding(options))
            : builder.WithShardRegionProxy<SearchRegion>(SearchRegion.Name, NodeOptions.CoordinatorRole, new SearchMessageExtractor());

    /// <summary>Islands, members, RL controllers and MANAS agents: the entities a strategy runs as (execution.entities); supernet shards (SPOS).</summary>
    public static AkkaConfigurationBuilder WithStrategyEntities(this AkkaConfigurationBuilder builder, NodeOptions options) =>
        options.HostsShards
            ? builder
                .WithShardRegion<MemberRegion>(MemberRegion.Name, PopulationMember.Props, new MemberMessageExtractor(), Sharding(options))
                .WithShardRegion<IslandRegion>(IslandRegion.Name,
                    (_, registry) => islandId => IslandActor.Props(islandId, registry.Get<MemberRegion>(), registry.Get<IslandRegion>()),
                    new IslandMessageExtractor(), Sharding(options))
                .WithShardRegion<ControllerRegion>(ControllerRegion.Name, RlController.Props, new ControllerMessageExtractor(), Sharding(options))
                .WithShardRegion<AgentRegion>(AgentRegion.Name, ManasAgentEntity.Props, new AgentMessageExtractor(), Sharding(options))
                // Supernet shards keep their weights in files, their versions in the journal: under the store, or under the
                // cluster's shared artifact root when there is one (so a shard that moves to another node finds its files).
                .WithShardRegion<SupernetShardRegion>(SupernetShardRegion.Name, shardId => SupernetShard.Props(shardId, options.ArtifactRoot ?? options.StoreDirectory),
                    new SupernetShardMessageExtractor(), Sharding(options))
            // Trainer-only nodes never talk to strategy entities, the coordinators do; but their trainers train supernets.
            : builder.WithShardRegionProxy<SupernetShardRegion>(SupernetShardRegion.Name, NodeOptions.CoordinatorRole, new SupernetShardMessageExtractor());

    /// <summary>
    /// The persistent index of running searches, woken at every node start so that searches (and
    /// through them their entities) resume after a full restart without a command. Trainer nodes
    /// reach it through a proxy: it lists the searches they serve.
    /// </summary>
    public static AkkaConfigurationBuilder WithSearchIndex(this AkkaConfigurationBuilder builder, NodeOptions options) =>
        (options.HostsShards
            ? builder.WithShardRegion<SearchIndexRegion>(SearchIndexRegion.Name,
                (_, registry) => _ => SearchIndex.Props(registry.Get<SearchRegion>()),
                new SearchIndexMessageExtractor(), Sharding(options))
            : builder.WithShardRegionProxy<SearchIndexRegion>(SearchIndexRegion.Name, NodeOptions.CoordinatorRole, new SearchIndexMessageExtractor()))
        .AddStartup((_, registry) => registry.Get<SearchIndexRegion>().Tell(new SearchIndexProtocol.WakeSearches()));

    private static EntityRegions Regions(IActorRegistry registry, NodeOptions options) =>
        new(registry.Get<IslandRegion>(), registry.Get<MemberRegion>(), registry.Get<ControllerRegion>(), registry.Get<AgentRegion>())
        {
            SearchIndex = registry.TryGet<SearchIndexRegion>(out var index) ? index : null,
            SupernetShards = registry.TryGet<SupernetShardRegion>(out var supernetShards) ? supernetShards : null,
            Supernets = options.Supernets,
            SupernetRoundsOnTrainers = options.SupernetRoundsOnTrainers
        };

    private static ShardOptions Sharding(NodeOptions options) => new()
    {
        Role = NodeOptions.CoordinatorRole,
        StateStoreMode = StateStoreMode.DData,
        RememberEntities = false
    };
}
