using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using NasActors.Engine.Supernets;
using static NasActors.Engine.Supernets.SupernetShardEvents;

namespace NasActors.Engine.Tests.Supernets;

public sealed class SupernetEventSerializerTests : TestKit
{
    private SupernetEventSerializer Serializer => new((ExtendedActorSystem)Sys);

    public static TheoryData<object> Events => new(
        new ShardInitialised(4, [new BlockRef("layer1", 0, "supernets/s/shard-0/layer1/v0.bin")]),
        new BlockUpdated(new BlockRef("head", 7, "supernets/s/shard-1/head/v7.bin")),
        new BlockUpdated(new BlockRef("head", 8, "supernets/s/shard-1/head/v8.bin"), Round: 41),
        new PushRefused("head", 2, 9),
        new PushRefused("head", 2, 9, Round: 12),
        new SupernetShardSnapshot(4, [new BlockRef("head", 7, "f")], 12, 3),
        new SupernetShardSnapshot(4, [new BlockRef("head", 7, "f")], 12, 3, new Dictionary<string, IReadOnlyList<int>> { ["head"] = [1, 5] }));

    [Theory, MemberData(nameof(Events))]
    public void Every_event_round_trips_under_its_manifest(object e)
    {
        var manifest = Serializer.Manifest(e);
        var back = Serializer.FromBinary(Serializer.ToBinary(e), manifest);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(e, e.GetType()), System.Text.Json.JsonSerializer.Serialize(back, back.GetType()));
        Assert.Contains(manifest, SupernetEventSerializer.AllManifests);
    }

    /// <summary>Version-1 payloads as the first release wrote them: they must always read.</summary>
    [Fact]
    public void Version_1_payloads_still_read()
    {
        var updated = (BlockUpdated)Serializer.FromBinary(Encoding.UTF8.GetBytes("""{"Block":{"Name":"head","Version":7,"File":"supernets/s/shard-1/head/v7.bin"}}"""), "supernet-block-updated.v1");
        Assert.Equal(new BlockRef("head", 7, "supernets/s/shard-1/head/v7.bin"), updated.Block);
        Assert.Null(updated.Round); // v1 pushes named no round: never deduplicated
        var snapshot = (SupernetShardSnapshot)Serializer.FromBinary(Encoding.UTF8.GetBytes("""{"MaxStaleness":4,"Blocks":[{"Name":"a","Version":2,"File":"f"}],"Updates":5,"Refused":1}"""), "supernet-shard-snapshot.v1");
        Assert.Equal((4, 5L, 1L), (snapshot.MaxStaleness, snapshot.Updates, snapshot.Refused));
        Assert.Null(snapshot.Rounds);
        var started = (ShardInitialised)Serializer.FromBinary(Encoding.UTF8.GetBytes("""{"MaxStaleness":3,"Blocks":[{"Name":"a","Version":0,"File":"f0"}]}"""), "supernet-shard-initialised.v1");
        Assert.Equal("f0", started.Blocks[0].File);
        var refused = (PushRefused)Serializer.FromBinary(Encoding.UTF8.GetBytes("""{"Block":"a","BaseVersion":1,"Version":4}"""), "supernet-push-refused.v1");
        Assert.Equal(4, refused.Version);
    }

    [Fact]
    public void An_unknown_manifest_is_refused_with_its_name()
    {
        var e = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => Serializer.FromBinary([], "supernet-block-updated.v9"));
        Assert.Contains("supernet-block-updated.v9", e.Message);
    }
}
