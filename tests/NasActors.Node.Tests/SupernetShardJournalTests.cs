using Akka.Actor;
using Microsoft.Data.Sqlite;
using NasActors.Core.Strategies.Supernet;
using NasActors.Engine.Searches;
using NasActors.Engine.Supernets;
using NasActors.Node.Hosting;
using static NasActors.Engine.Supernets.SupernetShardProtocol;

namespace NasActors.Node.Tests;

/// <summary>
/// A supernet shard through the node's "supernet-shard" region on a real journal: stop the node (its
/// shards with it), start another on the same store, and the shard serves the versions and weights it
/// acknowledged, from block files under the store; its journal holds references under the v1 manifests.
/// </summary>
public abstract class SupernetShardJournalTests : IDisposable
{
    protected readonly string _store = Directory.CreateTempSubdirectory("nas-supernet-").FullName;

    protected abstract NodeOptions Options { get; }

    /// <summary>Distinct event manifests the journal holds for one entity.</summary>
    protected abstract IReadOnlyList<string> Manifests(string persistenceId);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_store, recursive: true);
    }

    private static Task<T> Ask<T>(IActorRef region, object message) => region.Ask<T>(message, TimeSpan.FromSeconds(30));

    private static byte[] Block(float value) => new BlockWeights([new NamedTensor("w", [2], [value, value])]).ToBytes();

    [Fact]
    public async Task A_shard_on_a_restarted_node_serves_the_versions_it_acknowledged()
    {
        var id = new SupernetShardId(new SearchId("sn"), 1);
        BlocksFetched before;
        await using (var node = await NasNode.StartAsync(Options))
        {
            var shards = await node.RegionAsync<SupernetShardRegion>();
            await Ask<ShardReady>(shards, new InitialiseShard(id, 2, new Dictionary<string, byte[]> { ["head"] = Block(0), ["layer1"] = Block(1) }));
            for (var step = 1; step <= 4; step++)
            {
                var at = (await Ask<BlocksFetched>(shards, new FetchBlocks(id, ["head"]))).Blocks[0].Version;
                var answered = await Ask<PushAnswered>(shards, new PushBlocks(id, [new BlockPush("head", at, Block(step))]));
                Assert.True(answered.Results[0].Accepted);
            }
            before = await Ask<BlocksFetched>(shards, new FetchBlocks(id, ["head", "layer1"]));
        }

        await using (var node = await NasNode.StartAsync(Options))
        {
            var shards = await node.RegionAsync<SupernetShardRegion>();
            var after = await Ask<BlocksFetched>(shards, new FetchBlocks(id, ["head", "layer1"]));
            var view = await Ask<SupernetShardView>(shards, new GetShard(id));

            Assert.Equal(before.Blocks.Select(b => (b.Name, b.Version, b.Weights)), after.Blocks.Select(b => (b.Name, b.Version, b.Weights)));
            Assert.Equal(4, view.Versions["head"]);
            Assert.Equal([10f, 10f], BlockWeights.FromBytes(after.Blocks[0].Weights).Tensors[0].Values);
        }
        Assert.True(File.Exists(Path.Combine(_store, "supernets", "sn", "shard-1", "head", "v4.bin")));
        var manifests = Manifests($"{SupernetShard.PersistencePrefix}-{id}");
        Assert.Contains("supernet-shard-initialised.v1", manifests);
        Assert.Contains("supernet-block-updated.v1", manifests);
    }

    protected static IReadOnlyList<string> Rows(System.Data.Common.DbCommand command)
    {
        var rows = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) rows.Add(reader.GetString(0));
        return rows;
    }
}

public sealed class SupernetShardSqliteTests : SupernetShardJournalTests
{
    protected override NodeOptions Options => new() { StoreDirectory = _store, LogFile = Path.Combine(_store, "logs", "node.log") };

    protected override IReadOnlyList<string> Manifests(string persistenceId)
    {
        using var db = new SqliteConnection($"Data Source={Path.Combine(_store, "nas.db")};Pooling=False");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT DISTINCT manifest FROM journal WHERE persistence_id = $id";
        command.Parameters.AddWithValue("$id", persistenceId);
        return Rows(command);
    }
}

public sealed class SupernetShardPostgresTests(PostgresServer postgres) : SupernetShardJournalTests, IClassFixture<PostgresServer>
{
    private readonly string _connectionString = postgres.NewDatabase();

    protected override NodeOptions Options => new()
    {
        StoreDirectory = _store, Storage = StorageKind.PostgreSql, ConnectionString = _connectionString,
        LogFile = Path.Combine(_store, "logs", "node.log")
    };

    protected override IReadOnlyList<string> Manifests(string persistenceId)
    {
        using var db = new Npgsql.NpgsqlConnection(_connectionString);
        db.Open();
        using var command = new Npgsql.NpgsqlCommand("SELECT DISTINCT manifest FROM journal WHERE persistence_id = @id", db);
        command.Parameters.AddWithValue("id", persistenceId);
        return Rows(command);
    }
}
