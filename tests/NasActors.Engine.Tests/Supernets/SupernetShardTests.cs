using Akka.Actor;
using Akka.TestKit.Xunit2;
using NasActors.Engine.Searches;
using NasActors.Engine.Supernets;
using NasActors.Engine.Tests.Support;
using static NasActors.Engine.Supernets.SupernetShardProtocol;

namespace NasActors.Engine.Tests.Supernets;

/// <summary>A supernet shard killed and recreated on the in-memory journal serves the same versions and weights from its files.</summary>
public sealed class SupernetShardTests() : SupernetShardTestKit("nas-shard-")
{
    [Theory]
    [InlineData(1000)] // events only
    [InlineData(2)]    // a snapshot plus events
    public void A_restarted_shard_serves_the_versions_and_weights_it_had(int snapshotEvery)
    {
        var id = new SupernetShardId(new SearchId($"shard-{snapshotEvery}"), 0);
        var shard = Sys.ActorOf(SupernetShard.Props(id.Value, Root, snapshotEvery), $"shard-{snapshotEvery}");
        Ask<ShardReady>(shard, new InitialiseShard(id, 1, new Dictionary<string, byte[]>
        {
            ["a"] = FakeSupernet.Block(1, 1).ToBytes(),
            ["b"] = FakeSupernet.Block(5, 5).ToBytes()
        }));
        for (var step = 0; step < 5; step++)
        {
            var at = Ask<BlocksFetched>(shard, new FetchBlocks(id, ["a"])).Blocks[0].Version;
            var answer = Ask<PushAnswered>(shard, new PushBlocks(id, [new BlockPush("a", at, FakeSupernet.Block(1, 0).ToBytes())]));
            Assert.True(answer.Results[0].Accepted);
        }
        Assert.False(Ask<PushAnswered>(shard, new PushBlocks(id, [new BlockPush("a", 0, FakeSupernet.Block(1, 0).ToBytes())])).Results[0].Accepted);
        var before = Ask<SupernetShardView>(shard, new GetShard(id));
        var weightsBefore = Ask<BlocksFetched>(shard, new FetchBlocks(id, ["a", "b"]));

        Kill(shard);
        var again = Sys.ActorOf(SupernetShard.Props(id.Value, Root, snapshotEvery), $"shard-{snapshotEvery}-again");
        var after = Ask<SupernetShardView>(again, new GetShard(id));
        var weightsAfter = Ask<BlocksFetched>(again, new FetchBlocks(id, ["a", "b"]));

        Assert.Equal(new Dictionary<string, long> { ["a"] = 5, ["b"] = 0 }, after.Versions);
        Assert.Equal((before.Updates, before.Refused), (after.Updates, after.Refused));
        Assert.Equal([6f, 1f], FakeSupernet.Values(weightsAfter.Blocks[0].Weights));
        Assert.Equal(weightsBefore.Blocks.Select(b => (b.Name, b.Version, b.Weights)), weightsAfter.Blocks.Select(b => (b.Name, b.Version, b.Weights)));
        // Only the journaled version of each block is kept on disk.
        var files = Directory.GetFiles(Path.Combine(Root, "supernets", id.Search.Value, "shard-0"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f)).Order().ToArray();
        Assert.Equal([Path.Combine("supernets", id.Search.Value, "shard-0", "a", "v5.bin"), Path.Combine("supernets", id.Search.Value, "shard-0", "b", "v0.bin")], files);
    }

    [Fact]
    public void A_shard_whose_block_file_is_gone_stops_instead_of_serving_other_weights()
    {
        var id = new SupernetShardId(new SearchId("lost"), 0);
        var shard = Sys.ActorOf(SupernetShard.Props(id.Value, Root, 1000), "lost");
        Ask<ShardReady>(shard, new InitialiseShard(id, 1, new Dictionary<string, byte[]> { ["a"] = FakeSupernet.Block(1, 1).ToBytes() }));
        Kill(shard);
        File.Delete(Path.Combine(Root, "supernets", "lost", "shard-0", "a", "v0.bin"));

        var again = Sys.ActorOf(SupernetShard.Props(id.Value, Root, 1000), "lost-again");
        Watch(again);
        again.Tell(new FetchBlocks(id, ["a"]));
        ExpectTerminated(again);
    }
}
