using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using NasActors.Engine.Searches;
using NasActors.Engine.Serialization;
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
}
