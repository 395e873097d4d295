using Akka.Actor;
using NasActors.Core.Strategies.Supernet;
using NasActors.Engine.Searches;
using NasActors.Engine.Supernets;
using NasActors.Node.Hosting;
using static NasActors.Engine.Supernets.SupernetShardProtocol;

namespace NasActors.Node.Tests;

/// <summary>
/// A supernet shard through the node's "supernet-shard" region on a real journal: stop the node hosting it (its
/// shards with it), start another on the same store, and the shard, restored from its snapshot and the events after
/// it, serves the versions and weights it acknowledged, from block files under the store, and still knows which
/// rounds it merged (a round pushed again after the restart is a duplicate). Run on SQLite and on PostgreSQL.
/// </summary>
public abstract class SupernetShardJournalTests(NodeStore store) : IDisposable
{
    /// <summary>One more than the region's snapshot interval (50 events): the restart reads a snapshot, then events.</summary>
    private const int Pushes = 53;

    public void Dispose() => store.Dispose();

    private static Task<T> Ask<T>(IActorRef region, object message) => region.Ask<T>(message, TimeSpan.FromSeconds(90)); // generous: a fresh PostgreSQL database initialises its schema on the first write

    private static byte[] Block(float value) => new BlockWeights([new NamedTensor("w", [2], [value, value])]).ToBytes();

    [Fact]
    public async Task A_shard_on_a_restarted_node_serves_the_versions_it_acknowledged()
    {
        var id = new SupernetShardId(new SearchId("sn"), 1);
        BlocksFetched before;
        await using (var node = await NasNode.StartAsync(store.Options))
        {
            var shards = await node.RegionAsync<SupernetShardRegion>();
            await Ask<ShardReady>(shards, new InitialiseShard(id, 2, new Dictionary<string, byte[]> { ["head"] = Block(0), ["layer1"] = Block(1) }));
            for (var round = 0; round < Pushes; round++)
            {
                var at = (await Ask<BlocksFetched>(shards, new FetchBlocks(id, ["head"]))).Blocks[0].Version;
                var answered = await Ask<PushAnswered>(shards, new PushBlocks(id, [new BlockPush("head", at, Block(1))], round));
                Assert.True(answered.Results[0].Accepted);
            }
            before = await Ask<BlocksFetched>(shards, new FetchBlocks(id, ["head", "layer1"]));
        }

        await using (var node = await NasNode.StartAsync(store.Options))
        {
            var shards = await node.RegionAsync<SupernetShardRegion>();
            var after = await Ask<BlocksFetched>(shards, new FetchBlocks(id, ["head", "layer1"]));
            Assert.Equal(before.Blocks.Select(b => (b.Name, b.Version, b.Weights)), after.Blocks.Select(b => (b.Name, b.Version, b.Weights)));
            Assert.Equal([Pushes, Pushes], BlockWeights.FromBytes(after.Blocks[0].Weights).Tensors[0].Values);

            // Round 7 again (its worker's answer was lost in the crash): a duplicate, nothing merged; a new round merges.
            var again = await Ask<PushAnswered>(shards, new PushBlocks(id, [new BlockPush("head", Pushes, Block(1))], 7));
            Assert.True(again.Results[0] is { Duplicate: true, Version: Pushes });
            var next = await Ask<PushAnswered>(shards, new PushBlocks(id, [new BlockPush("head", Pushes, Block(1))], Pushes));
            Assert.True(next.Results[0] is { Duplicate: false, Version: Pushes + 1 });
            var ready = await Ask<ShardReady>(shards, new InitialiseShard(id, 2, new Dictionary<string, byte[]> { ["head"] = Block(9) }));
            Assert.Equal(Enumerable.Range(0, Pushes + 1), ready.Rounds!["head"]);
        }
        Assert.True(File.Exists(Path.Combine(store.Folder, "supernets", "sn", "shard-1", "head", $"v{Pushes + 1}.bin")));
        var persistenceId = $"{SupernetShard.PersistencePrefix}-{id}";
        Assert.Contains("supernet-shard-initialised.v1", store.Manifests(persistenceId));
        Assert.Contains("supernet-block-updated.v2", store.Manifests(persistenceId));
        Assert.Contains("supernet-shard-snapshot.v2", store.Manifests(persistenceId, "snapshot"));
    }
}

public sealed class SupernetShardSqliteTests() : SupernetShardJournalTests(NodeStore.Sqlite("nas-supernet-"));

public sealed class SupernetShardPostgresTests(PostgresServer postgres)
    : SupernetShardJournalTests(NodeStore.Postgres(postgres, "nas-supernet-")), IClassFixture<PostgresServer>;
