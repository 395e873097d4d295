using Akka.TestKit.Xunit2;
using NasActors.Core.Spaces;
using NasActors.Engine.Agents;
using NasActors.Engine.Searches;
using NasActors.Engine.Tests.Support;

namespace NasActors.Engine.Tests.Entities;

/// <summary>MANAS on the NAS-Bench-201 table with one agent entity per edge.</summary>
public class ManasNb201Tests() : TestKit(AkkaConfig.InMemory)
{
    [Fact]
    public void Six_edge_agents_choose_joint_cells_and_each_learns_from_every_shared_reward()
    {
        const int budget = 30;
        var search = new EntitySearch(this, LocalRegions.Start(Sys), new SearchId("manas"))
            .Start(TestSpecs.Nb201Manas(budget, inFlight: 4), "coordinator");
        var table = new Nb201TableEvaluator();
        search.Trainer(table, "t1");
        search.Trainer(table, "t2");

        var done = search.AwaitPhase(SearchPhase.Finished, seconds: 30);
        Assert.Equal(budget, done.Completed);
        Assert.All(done.Trials!, t => Assert.StartsWith("|", t.Architecture)); // NB201 cells, looked up in the table
        Assert.InRange(done.Best!.Objective!.Value, 0.1, Nb201TableEvaluator.BestAccuracy);

        AwaitAssert(() =>
        {
            var agents = Enumerable.Range(0, Nb201Space.Edges)
                .Select(i => search.AskEntity<AgentView>(search.Regions.Agents, new AgentProtocol.GetAgent(new AgentId(search.Id, i)))).ToArray();
            Assert.All(agents, a => Assert.Equal(budget, a.Updates));
            Assert.Equal(new Nb201Space().Decisions.Select(d => d.Name), agents.Select(a => a.Decision!));
            Assert.All(agents, a => Assert.Equal(Nb201Space.Operations.Count, a.LogWeights.Count));
        }, TimeSpan.FromSeconds(10));
    }
}
