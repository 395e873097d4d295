using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using NasActors.Engine.Agents;
using NasActors.Engine.Controllers;
using NasActors.Engine.Islands;
using NasActors.Engine.Members;
using NasActors.Engine.Searches;
using NasActors.Engine.Searches.Index;
using NasActors.Engine.Serialization;
using NasActors.Engine.Tests.Support;
using NasActors.Engine.Trainers.Roster;

namespace NasActors.Engine.Tests.Serialization;

public class EntityEventSerializerTests : TestKit
{
    private static readonly SearchSpecData Spec = TestSpecs.Data(TestSpecs.Islands(10, 2, 2));
    private readonly EntityEventSerializer _serializer;

    public EntityEventSerializerTests() : base(AkkaConfig.InMemory) => _serializer = new EntityEventSerializer((ExtendedActorSystem)Sys);

    public static TheoryData<object> Messages => new()
    {
        new IslandEvents.IslandStarted(new IslandSetup(Spec, 2, 3, 5)),
        new IslandEvents.ChildProposed(4, [1, 0, 2, 0.005], 77, 2),
        new IslandEvents.ChildProposed(1, [1, 0, 2, 0.005], 78, null),
        new IslandEvents.ChildEvaluated(4, 0.93),
        new IslandEvents.ChildEvaluated(5, null),
        new IslandEvents.MigrantAccepted(new Migrant(1, 8, [0, 1], 0.9, ["island-1/member-3"]), 12),
        new IslandSnapshot(new IslandSetup(Spec, 2, 3, 5), 9, 7, """{"random":[1]}""", [new IslandEvents.ChildProposed(8, [1], 2, 3)],
            [new IslandMember(3, 2, null, [])], ["1:8"]),
        new MemberEvents.MemberRecorded(new MemberRecord([1, 2], 0.5, 3, "island-0/member-1", ["island-0/member-1"])),
        new MemberEvents.MemberRetired(9),
        new MemberState(new MemberRecord([1], 0.5, 3, null, []), 4),
        new ControllerEvents.ControllerStarted(new ControllerSetup(Spec, 4)),
        new ControllerEvents.ArchitectureSampled(3, [0, 1, 1], 99),
        new ControllerEvents.RewardReceived(3, 0.71),
        new ControllerEvents.RewardReceived(4, null),
        new ControllerSnapshot(new ControllerSetup(Spec, 4), 5, 3, "{}", [new ControllerEvents.ArchitectureSampled(4, [1], 3)]),
        new AgentEvents.AgentStarted(new AgentSetup("edge-1", 5, 0.1, 31)),
        new AgentEvents.ChoicePicked(2, 3, 0.25),
        new AgentEvents.RewardLearned(2, 0.8),
        new AgentEvents.RewardLearned(3, null),
        new AgentSnapshot(new AgentSetup("edge-1", 5, 0.1, 31), """{"name":"edge-1"}""", [new AgentEvents.ChoicePicked(4, 1, 0.3)], [1, 2]),
        new SearchIndexEvents.SearchRegistered("s1"),
        new SearchIndexEvents.SearchUnregistered("s1"),
        new SearchIndexSnapshot(["a", "b"]),
        new TrainerRosterEvents.TrainerQuarantined("t0", "cuda:0", DateTimeOffset.Parse("2026-11-28T12:00:00Z"), "3 consecutive failures: CUDA error", "auto"),
        new TrainerRosterEvents.TrainerQuarantined("t1", "cpu", null, "operator", "admin 127.0.0.1"),
        new TrainerRosterEvents.TrainerReleased("t0", "admin 127.0.0.1"),
        new TrainerRosterSnapshot([new TrainerRosterEvents.TrainerQuarantined("t1", "cpu", null, "operator", "admin 127.0.0.1")]),
        new TrainerRosterEvents.TrialDiedWithProcess("t0", "cuda:0", "trial 7 (lease 2) of search s died with the node's process"),
        new TrainerRosterEvents.SlotFaultsCleared("t0"),
        new TrainerRosterSnapshot([], [new TrainerRosterEvents.TrialDiedWithProcess("t0", "cuda:0", "trial 7 (lease 2) of search s died with the node's process")])
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_event_and_snapshot_round_trips(object message)
    {
        var copy = _serializer.FromBinary(_serializer.ToBinary(message), _serializer.Manifest(message));
        Assert.Equal(message.GetType(), copy.GetType());
        // Records holding arrays compare by reference: compare their JSON instead.
        Assert.Equal(JsonSerializer.Serialize(message, message.GetType()), JsonSerializer.Serialize(copy, copy.GetType()));
    }

    [Fact]
    public void Every_manifest_is_versioned_and_every_bound_type_has_one()
    {
        Assert.All(EntityEventSerializer.AllManifests, m => Assert.Matches(@"^[a-z-]+\.v\d+$", m));
        Assert.Equal(25, EntityEventSerializer.AllManifests.Count);
    }

    /// <summary>Bytes as version 1 wrote them: never edit these; add new ones when a schema gets a new version.</summary>
    [Theory]
    [InlineData("child-proposed.v1", """{"Ticket":4,"Values":[1,0,2,0.005],"Seed":77,"Parent":2}""")]
    [InlineData("child-evaluated.v1", """{"Ticket":4,"Objective":null}""")]
    [InlineData("migrant-accepted.v1", """{"Migrant":{"FromIsland":1,"FromTicket":8,"Values":[0,1],"Fitness":0.9,"Lineage":["island-1/member-3"]},"Ticket":12}""")]
    [InlineData("member-recorded.v1", """{"Record":{"Values":[1,2],"Fitness":0.5,"Born":3,"Parent":null,"Lineage":[]}}""")]
    [InlineData("member-retired.v1", """{"At":9}""")]
    [InlineData("architecture-sampled.v1", """{"Ticket":3,"Values":[0,1,1],"Seed":99}""")]
    [InlineData("reward-received.v1", """{"Ticket":3,"Reward":0.71}""")]
    [InlineData("agent-started.v1", """{"Setup":{"Decision":"edge-1","Choices":5,"Gamma":0.1,"Seed":31}}""")]
    [InlineData("choice-picked.v1", """{"Ticket":2,"Choice":3,"Probability":0.25}""")]
    [InlineData("reward-learned.v1", """{"Ticket":2,"Reward":0.8}""")]
    [InlineData("search-registered.v1", """{"SearchId":"s1"}""")]
    [InlineData("search-unregistered.v1", """{"SearchId":"s1"}""")]
    public void Version_1_payloads_still_read(string manifest, string json)
    {
        var read = _serializer.FromBinary(Encoding.UTF8.GetBytes(json), manifest);
        Assert.Equal(json, JsonSerializer.Serialize(read, read.GetType()));
    }

    [Fact]
    public void A_version_1_roster_snapshot_reads_with_no_trials_lost_with_the_process()
    {
        var v1 = (TrainerRosterSnapshot)_serializer.FromBinary(Encoding.UTF8.GetBytes(
            """{"Quarantined":[{"Slot":"t1","Device":"cpu","Until":null,"Reason":"operator","By":"admin 127.0.0.1"}]}"""), "trainer-roster-snapshot.v1");
        Assert.Equal("t1", Assert.Single(v1.Quarantined).Slot);
        Assert.Null(v1.DiedWithProcess);
    }

    [Fact]
    public void The_coordinators_buffered_proposals_round_trip_in_its_own_serializer()
    {
        var serializer = new SearchEventSerializer((ExtendedActorSystem)Sys);
        var e = new SearchEvents.ProposalsBuffered("s/island-1", [new Proposal(3, [1, 0, 2], 42)]);
        Assert.Equal("proposals-buffered.v1", serializer.Manifest(e));
        var copy = (SearchEvents.ProposalsBuffered)serializer.FromBinary(serializer.ToBinary(e), serializer.Manifest(e));
        Assert.Equal(e.Owner, copy.Owner);
        Assert.Equal(e.Proposals[0].Values, copy.Proposals[0].Values);
        Assert.Equal((3, 42L), (copy.Proposals[0].Ticket, copy.Proposals[0].Seed));
        var v1 = serializer.FromBinary(Encoding.UTF8.GetBytes("""{"Owner":"s/controller","Proposals":[{"Ticket":1,"Values":[0,1],"Seed":5}]}"""), "proposals-buffered.v1");
        Assert.Equal("s/controller", ((SearchEvents.ProposalsBuffered)v1).Owner);
    }
}
