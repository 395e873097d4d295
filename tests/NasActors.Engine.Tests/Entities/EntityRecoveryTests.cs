using Akka.Actor;
using Akka.TestKit.Xunit2;
using NasActors.Engine.Agents;
using NasActors.Engine.Controllers;
using NasActors.Engine.Islands;
using NasActors.Engine.Members;
using NasActors.Engine.Searches;
using NasActors.Engine.Searches.Index;
using NasActors.Engine.Tests.Support;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Engine.Tests.Entities;

/// <summary>Every strategy entity, killed and recreated on the in-memory journal, is in exactly the state it was.</summary>
public class EntityRecoveryTests : EntityTestKit
{
    private static readonly SearchId Search = new("rec");

    [Theory]
    [InlineData(1000)] // events only
    [InlineData(3)]    // a snapshot plus events
    public void An_island_recovers_its_population_children_in_flight_and_evolution(int snapshotEvery)
    {
        var id = new IslandId(Search, 0);
        var spec = TestSpecs.Data(TestSpecs.Islands(50, 2, inFlight: 2, migrationEvery: 3, snapshotEvery: snapshotEvery));
        var members = CreateTestProbe();
        var islands = CreateTestProbe();
        var island = Sys.ActorOf(IslandActor.Props(id.Value, members, islands), $"island-{snapshotEvery}");
        island.Tell(new IslandProtocol.StartIsland(id, new IslandSetup(spec, 2, 2, 3)));
        for (var round = 0; round < 7; round++)
        {
            var offered = Ask<ProposalsOffered>(island, new IslandProtocol.RequestChildren(id));
            var child = offered.Proposals[0];
            Ask<OutcomesAcknowledged>(island, new IslandProtocol.ReportChildOutcome(id, child.Ticket, 0.05 * child.Ticket));
        }
        var before = Ask<IslandView>(island, new IslandProtocol.GetIsland(id));
        Assert.True(islands.HasMessages); // migrants went to island 1

        Kill(island);
        var recovered = Sys.ActorOf(IslandActor.Props(id.Value, members, islands), $"island-{snapshotEvery}-again");
        IslandStateTests.AssertSame(before, Ask<IslandView>(recovered, new IslandProtocol.GetIsland(id)));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(3)]
    public void A_controller_recovers_the_same_policy(int snapshotEvery)
    {
        var id = new ControllerId(Search);
        var controller = Sys.ActorOf(RlController.Props(id.Value), $"controller-{snapshotEvery}");
        controller.Tell(new ControllerProtocol.StartController(id,
            new ControllerSetup(TestSpecs.Data(TestSpecs.Reinforce(50, 3, snapshotEvery: snapshotEvery)), 3)));
        for (var round = 0; round < 6; round++)
        {
            var offered = Ask<ProposalsOffered>(controller, new ControllerProtocol.RequestSamples(id));
            var sample = offered.Proposals[^1];
            Ask<OutcomesAcknowledged>(controller, new ControllerProtocol.ReportReward(id, sample.Ticket, 0.1 * (round % 4)));
        }
        var before = Ask<PolicyView>(controller, new ControllerProtocol.GetPolicy(id));

        Kill(controller);
        var recovered = Sys.ActorOf(RlController.Props(id.Value), $"controller-{snapshotEvery}-again");
        ControllerStateTests.AssertSame(before, Ask<PolicyView>(recovered, new ControllerProtocol.GetPolicy(id)));
    }

    [Fact]
    public void An_agent_recovers_its_distribution_and_its_picks()
    {
        var id = new AgentId(Search, 3);
        var agent = Sys.ActorOf(ManasAgentEntity.Props(id.Value), "agent");
        agent.Tell(new AgentProtocol.StartAgent(id, new AgentSetup("edge-3", 5, 0.2, 4)));
        for (var t = 1; t <= 5; t++)
        {
            Ask<PicksOffered>(agent, new AgentProtocol.RequestPicks(id, [t, t + 1]));
            Ask<OutcomesAcknowledged>(agent, new AgentProtocol.ShareReward(id, t, t / 5.0));
        }
        var before = Ask<AgentView>(agent, new AgentProtocol.GetAgent(id));
        var picks = Ask<PicksOffered>(agent, new AgentProtocol.RequestPicks(id, [6]));

        Kill(agent);
        var recovered = Sys.ActorOf(ManasAgentEntity.Props(id.Value), "agent-again");
        AgentStateTests.AssertSame(before, Ask<AgentView>(recovered, new AgentProtocol.GetAgent(id)));
        Assert.Equal(picks.Picks, Ask<PicksOffered>(recovered, new AgentProtocol.RequestPicks(id, [6])).Picks);
    }

    [Fact]
    public void A_member_recovers_its_record_and_retirement()
    {
        var id = new MemberId(new IslandId(Search, 1), 4);
        var member = Sys.ActorOf(PopulationMember.Props(id.Value), "member");
        member.Tell(new MemberProtocol.RecordMember(id, new MemberRecord([0, 1, 2], 0.7, 3, "island-1/member-2", ["island-1/member-2"])));
        member.Tell(new MemberProtocol.RetireMember(id, 9));
        var before = Ask<MemberView>(member, new MemberProtocol.GetMember(id));

        Kill(member);
        var after = Ask<MemberView>(Sys.ActorOf(PopulationMember.Props(id.Value), "member-again"), new MemberProtocol.GetMember(id));
        Assert.Equal(before.Record!.Values, after.Record!.Values);
        Assert.Equal(before.Record.Lineage, after.Record.Lineage);
        Assert.Equal((before.Record.Fitness, before.Record.Born, before.Record.Parent), (after.Record.Fitness, after.Record.Born, after.Record.Parent));
        Assert.Equal(9, after.RetiredAt);
    }

    [Fact]
    public void The_search_index_recovers_its_running_searches_and_wakes_them()
    {
        var searches = CreateTestProbe();
        var index = Sys.ActorOf(SearchIndex.Props(searches), "index");
        index.Tell(new SearchIndexProtocol.RegisterSearch(new SearchId("a")));
        index.Tell(new SearchIndexProtocol.RegisterSearch(new SearchId("b")));
        index.Tell(new SearchIndexProtocol.UnregisterSearch(new SearchId("a")));
        var before = Ask<SearchIndexProtocol.ActiveSearches>(index, new SearchIndexProtocol.GetActiveSearches());

        Kill(index);
        var recovered = Sys.ActorOf(SearchIndex.Props(searches), "index-again");
        Assert.Equal(new SearchId("b"), searches.ExpectMsg<GetStatus>().SearchId); // woken on recovery
        Assert.Equal(before.SearchIds, Ask<SearchIndexProtocol.ActiveSearches>(recovered, new SearchIndexProtocol.GetActiveSearches()).SearchIds);
    }
}
