using Akka.Actor;
using NasActors.Core.Specs;
using NasActors.Engine.Agents;
using NasActors.Engine.Controllers;
using NasActors.Engine.Islands;
using NasActors.Engine.Members;
using NasActors.Engine.Searches;
using NasActors.Node.Hosting;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Node.Tests;

/// <summary>
/// The strategy entities through sharding on a real journal: stop the node, start another on the
/// same store, and each entity is in the state it was; a running search comes back with no command.
/// Run on SQLite and on a throwaway PostgreSQL (a fresh database per test).
/// </summary>
public abstract class EntityJournalRecoveryTests(NodeStore store) : IDisposable
{
    private NodeOptions Options => store.Options;

    private IReadOnlyList<string> Manifests(string persistenceId) => store.Manifests(persistenceId);

    public void Dispose() => store.Dispose();

    private static Task<T> Ask<T>(IActorRef region, object message) => region.Ask<T>(message, TimeSpan.FromSeconds(30));

    private static SearchSpecData Spec(string strategy, Dictionary<string, double> parameters, SpaceSpec? space = null) => new(SearchSpecJson.Serialize(new SearchSpec(
        "entity-test", 5,
        space ?? new MlpSpaceSpec("mlp", [1, 2], [8, 16], ["relu", "tanh"], [0.0], 1e-3, 1e-2),
        new DatasetSpec("/unused.csv", "last", 0.2),
        new TrainingSpec(1, 8),
        new StrategySpec(strategy, parameters),
        new BudgetSpec(20, 3),
        new ExecutionSpec(2, 1, 30, 4) { Entities = true, InFlight = 2 },
        new ObjectiveSpec("val_accuracy", true),
        new ConstraintSpec(null))), 4, 3);

    /// <summary>Runs <paramref name="work"/> on one node, then <paramref name="read"/> on it and on a restarted node.</summary>
    private async Task<(T Before, T After)> AcrossRestart<TRegion, T>(Func<IActorRef, Task> work, Func<IActorRef, Task<T>> read)
    {
        T before;
        await using (var node = await NasNode.StartAsync(Options))
        {
            var region = await node.RegionAsync<TRegion>();
            await work(region);
            before = await read(region);
        }
        await using (var node = await NasNode.StartAsync(Options))
            return (before, await read(await node.RegionAsync<TRegion>()));
    }

    [Fact]
    public async Task An_island_recovers_from_the_journal()
    {
        var id = new IslandId(new SearchId("sq"), 0);
        var (before, after) = await AcrossRestart<IslandRegion, IslandView>(async island =>
        {
            island.Tell(new IslandProtocol.StartIsland(id, new IslandSetup(Spec("evolution", new() { ["population"] = 3, ["sample"] = 2 }), 1, 2, 0)));
            for (var i = 0; i < 6; i++)
            {
                var offered = await Ask<ProposalsOffered>(island, new IslandProtocol.RequestChildren(id));
                await Ask<OutcomesAcknowledged>(island, new IslandProtocol.ReportChildOutcome(id, offered.Proposals[0].Ticket, 0.1 * i));
            }
        }, island => Ask<IslandView>(island, new IslandProtocol.GetIsland(id)));

        Assert.Equal(6, after.Evaluated);
        Assert.Equal(before.Population, after.Population);
        Assert.Equal(before.InFlight, after.InFlight);
        Assert.Equal(before.EvolutionState, after.EvolutionState);
        Assert.Contains("child-evaluated.v1", Manifests($"island-{id}"));
    }

    [Fact]
    public async Task A_member_recovers_from_the_journal()
    {
        var id = new MemberId(new IslandId(new SearchId("sq"), 0), 3);
        var (before, after) = await AcrossRestart<MemberRegion, MemberView>(member =>
        {
            member.Tell(new MemberProtocol.RecordMember(id, new MemberRecord([1, 0], 0.6, 2, "island-0/member-1", ["island-0/member-1"])));
            member.Tell(new MemberProtocol.RetireMember(id, 5));
            return Task.CompletedTask;
        }, member => Ask<MemberView>(member, new MemberProtocol.GetMember(id)));

        Assert.Equal(5, after.RetiredAt);
        Assert.Equal(before.Record!.Lineage, after.Record!.Lineage);
        Assert.Equal(before.Record.Fitness, after.Record.Fitness);
    }

    [Fact]
    public async Task A_controller_recovers_the_same_policy_from_the_journal()
    {
        var id = new ControllerId(new SearchId("sq"));
        var (before, after) = await AcrossRestart<ControllerRegion, PolicyView>(async controller =>
        {
            controller.Tell(new ControllerProtocol.StartController(id, new ControllerSetup(Spec("reinforce", new() { ["learning_rate"] = 0.5 }), 2)));
            for (var i = 0; i < 6; i++)
            {
                var offered = await Ask<ProposalsOffered>(controller, new ControllerProtocol.RequestSamples(id));
                await Ask<OutcomesAcknowledged>(controller, new ControllerProtocol.ReportReward(id, offered.Proposals[^1].Ticket, 0.1 * i));
            }
        }, controller => Ask<PolicyView>(controller, new ControllerProtocol.GetPolicy(id)));

        Assert.Equal(6, after.RewardsReceived);
        Assert.Equal(before.StrategyState, after.StrategyState);
    }

    [Fact]
    public async Task An_agent_recovers_its_distribution_from_the_journal()
    {
        var id = new AgentId(new SearchId("sq"), 1);
        var (before, after) = await AcrossRestart<AgentRegion, AgentView>(async agent =>
        {
            agent.Tell(new AgentProtocol.StartAgent(id, new AgentSetup("edge-1", 5, 0.2, 3)));
            for (var t = 1; t <= 6; t++)
            {
                await Ask<PicksOffered>(agent, new AgentProtocol.RequestPicks(id, [t]));
                await Ask<OutcomesAcknowledged>(agent, new AgentProtocol.ShareReward(id, t, t / 6.0));
            }
        }, agent => Ask<AgentView>(agent, new AgentProtocol.GetAgent(id)));

        Assert.Equal(6, after.Updates);
        Assert.Equal(before.AgentState, after.AgentState);
    }

    [Fact]
    public async Task A_running_search_and_its_islands_come_back_after_a_restart_without_a_command()
    {
        var id = new SearchId("resumes");
        await using (var node = await NasNode.StartAsync(Options))
        {
            var spec = Spec("evolution", new() { ["population"] = 3, ["sample"] = 2, ["islands"] = 2 });
            await node.AskAsync<SearchStatus>(new StartSearch(id, spec.SpecJson, spec.Features, spec.Classes));
            var work = await WorkWhenBuffered(node, id);
            await node.AskAsync<ResultAccepted>(new ReportResult(id, "t", work.Trial.TrialId, work.LeaseEpoch, new(0.5, 1, 10, 1)));
        }

        await using (var node = await NasNode.StartAsync(Options))
        {
            // Nothing is sent to the search: the index wakes its coordinator, which wakes both islands.
            await AwaitEntities(node.System, "search", 1);
            await AwaitEntities(node.System, "island", 2);
            var status = await node.AskAsync<SearchStatus>(new GetStatus(id));
            Assert.Equal(SearchPhase.Running, status.Phase);
            Assert.Equal(1, status.Completed);
        }
    }

    private static async Task<WorkAssigned> WorkWhenBuffered(NasNode node, SearchId id)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var reply = await node.Searches.Ask<object>(new RequestWork(id, "t", false), TimeSpan.FromSeconds(30));
            if (reply is WorkAssigned work) return work;
            await Task.Delay(50);
        }
        throw new TimeoutException("the islands never offered a proposal");
    }

    /// <summary>Waits until <paramref name="count"/> entities of a shard region are alive, found by Identify, not by messaging them.</summary>
    private static async Task AwaitEntities(ActorSystem system, string region, int count)
    {
        var found = 0;
        for (var attempt = 0; attempt < 300 && found < count; attempt++) // up to ~2 min: CI runs test projects side by side
        {
            await Task.Delay(100);
            var identities = new List<ActorIdentity>();
            var probe = system.ActorSelection($"/system/sharding/{region}/*/*");
            var inbox = Inbox.Create(system);
            probe.Tell(new Identify(attempt), inbox.Receiver);
            try
            {
                while (true) identities.Add((ActorIdentity)await inbox.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
            }
            catch (TimeoutException) { }
            found = identities.Count(i => i.Subject is not null);
        }
        Assert.True(found >= count, $"{found} {region} entities alive after the restart, expected {count}");
    }
}

public sealed class EntitySqliteRecoveryTests() : EntityJournalRecoveryTests(NodeStore.Sqlite("nas-entities-"));

public sealed class EntityPostgresRecoveryTests(PostgresServer postgres)
    : EntityJournalRecoveryTests(NodeStore.Postgres(postgres, "nas-entities-")), IClassFixture<PostgresServer>;
