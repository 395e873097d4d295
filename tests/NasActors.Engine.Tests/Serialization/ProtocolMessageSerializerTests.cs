using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using NasActors.Engine.Searches;
using NasActors.Engine.Serialization;
using NasActors.Engine.Supernets;
using NasActors.Engine.Tests.Support;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Engine.Tests.Serialization;

/// <summary>Messages between nodes of different versions: an older node's message still reads on a newer one.</summary>
public class ProtocolMessageSerializerTests : TestKit
{
    private readonly ProtocolMessageSerializer _serializer;

    public ProtocolMessageSerializerTests() : base(AkkaConfig.InMemory) => _serializer = new ProtocolMessageSerializer((ExtendedActorSystem)Sys);

    [Fact]
    public void A_lease_lost_says_whether_it_expired_and_a_version_1_one_reads_as_not_expired()
    {
        var lost = new LeaseLost(new SearchId("s"), 4, 2, Expired: true);
        Assert.Equal("lease-lost.v2", _serializer.Manifest(lost));
        Assert.Equal(lost, _serializer.FromBinary(_serializer.ToBinary(lost), _serializer.Manifest(lost)));

        var v1 = _serializer.FromBinary(Encoding.UTF8.GetBytes("""{"SearchId":{"Value":"s"},"TrialId":4,"LeaseEpoch":2}"""), "lease-lost.v1");
        Assert.Equal(new LeaseLost(new SearchId("s"), 4, 2, Expired: false), v1);
    }

    [Fact]
    public void A_round_done_carries_its_reward_and_a_version_1_one_reads_with_none()
    {
        var done = new SposProtocol.RoundDone(3, 2, 1, 64, 0.7, Reward: 0.375);
        Assert.Equal("spos-round-done.v2", _serializer.Manifest(done));
        Assert.Equal(done, _serializer.FromBinary(_serializer.ToBinary(done), _serializer.Manifest(done)));

        var v1 = _serializer.FromBinary(Encoding.UTF8.GetBytes("""{"Round":3,"Accepted":2,"Refused":1,"Samples":64,"Loss":0.7}"""), "spos-round-done.v1");
        Assert.Equal(new SposProtocol.RoundDone(3, 2, 1, 64, 0.7), v1);
    }
}
