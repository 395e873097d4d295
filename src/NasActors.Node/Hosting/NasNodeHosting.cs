using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using Akka.Remote.Hosting;
using LinqToDB;
using NasActors.Engine.Searches;
using NasActors.Engine.Serialization;
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
            .WithRemoting(options.Hostname, options.Port)
            .WithNasClustering(options)
            .WithNasPersistence(options)
            .WithSearches(options);

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
            .WithCustomSerializer("nas-search", SearchEventSerializer.BoundTypes, system => new SearchEventSerializer(system));
    }

    public static AkkaConfigurationBuilder WithSearches(this AkkaConfigurationBuilder builder, NodeOptions options) =>
        builder.WithShardRegion<SearchRegion>(
            SearchRegion.Name,
            searchId => SearchCoordinator.Props(searchId),
            new SearchMessageExtractor(),
            new ShardOptions
            {
                Role = options.Roles.FirstOrDefault(),
                StateStoreMode = StateStoreMode.DData,
                RememberEntities = false
            });
}
