using System.Collections.Concurrent;
using Akka.Actor;
using NasActors.Core.Spaces;
using NasActors.Core.Strategies;
using NasActors.Core.Strategies.OneShot;
using NasActors.Core.Strategies.Supernet;
using NasActors.Engine.Agents;
using NasActors.Engine.Entities;
using NasActors.Engine.Searches;
using NasActors.Engine.Supernets;
using NasActors.Engine.Tests.Support;
using static NasActors.Engine.Agents.AgentProtocol;
using static NasActors.Engine.Searches.SearchProtocol;
using static NasActors.Engine.Supernets.SposProtocol;

namespace NasActors.Engine.Tests.Supernets;

/// <summary>
/// Weight-sharing MANAS on the generic supernet driver (<see cref="SupernetRun"/> with <see cref="RoundAgents"/>), without
/// TorchSharp: six persistent edge agents pick each round's path (the round number is their ticket), every agent learns
/// the round's reward once, and phase 2 ranks the agents' favourite cell first.
/// </summary>
public sealed class ManasRunTests() : SupernetShardTestKit("nas-manas-run-")
{
    private static readonly SearchId Search = new("manas-run");
    private static readonly ManasSupernetOptions Options = new(Rounds: 12, BatchesPerRound: 1, Gamma: 0.2, LearningRate: 0.5);

    /// <summary>
    /// An NB201-shaped fake: a stem block and one block per (edge, op); a round adds 1 to its path's blocks and is rewarded
    /// by the share of edges holding op <see cref="Nb201FakeSupernet.Favoured"/>(e). Records every path it trains, in order.
    /// </summary>
    private sealed class FakeManasSupernet : Nb201FakeSupernet
    {
        public ConcurrentQueue<IReadOnlyList<double>> Trained { get; } = new();

        public override IReadOnlyList<string> Blocks { get; } =
            ["stem", .. Enumerable.Range(0, Nb201Space.Edges).SelectMany(e => Enumerable.Range(0, 5).Select(o => Block(e, o)))];

        public override IReadOnlyList<string> BlocksOf(Genotype path) => ["stem", .. path.Values.Select((v, e) => Block(e, (int)v))];

        public override SupernetSteps Train(Genotype path, IReadOnlyDictionary<string, BlockWeights> weights, int batches, long seed, CancellationToken cancellationToken)
        {
            Trained.Enqueue(path.Values.ToArray());
            return base.Train(path, weights, batches, seed, cancellationToken);
        }

        /// <summary>Never 0, so that every picked op gains weight and the agents' favourites are not ties.</summary>
        public static double Reward(IReadOnlyList<double> path) => 0.1 + 0.9 * path.Select((v, e) => (int)v == Favoured(e) ? 1.0 : 0).Average();

        protected override double? RewardOf(IReadOnlyList<double> path) => Reward(path);

        private static string Block(int edge, int op) => $"e{edge}-op{op}";
    }

    /// <summary>Between the driver's agents and their region: records every pick offered and every reward shared.</summary>
    private sealed class RecordingAgents : ReceiveActor
    {
        private IActorRef _asker = ActorRefs.Nobody;

        public RecordingAgents(IActorRef region, ConcurrentQueue<(int Agent, AgentPick Pick)> picks, ConcurrentQueue<ShareReward> rewards)
        {
            Receive<RequestPicks>(request =>
            {
                _asker = Sender;
                region.Tell(request, Self);
            });
            Receive<PicksOffered>(offered =>
            {
                foreach (var pick in offered.Picks) picks.Enqueue((offered.Agent, pick));
                _asker.Tell(offered);
            });
            Receive<ShareReward>(reward =>
            {
                rewards.Enqueue(reward);
                region.Forward(reward);
            });
            ReceiveAny(region.Forward);
        }
    }

    [Fact]
    public void Rounds_take_their_paths_from_the_agents_picks_every_agent_learns_each_round_once_and_the_ranking_is_the_agents_best_cell()
    {
        var space = new Nb201Space();
        var context = new StrategyContext(space, new Core.Trials.Fidelity(1), Seed: 6);
        var manas = new ManasSupernetSearch(context, Options);
        var shards = Shards();
        var region = Sys.ActorOf(LocalEntityRegion.Props(ManasAgentEntity.Props, new AgentMessageExtractor()));
        var (picks, rewards) = (new ConcurrentQueue<(int Agent, AgentPick Pick)>(), new ConcurrentQueue<ShareReward>());
        var agents = Sys.ActorOf(Props.Create(() => new RecordingAgents(region, picks, rewards)));
        var supernet = new FakeManasSupernet();
        var rounds = manas.RoundOptions;

        Sys.ActorOf(SupernetRun.Props(Search, supernet, rounds, context, shards, TestActor,
            agents: RoundAgents.Props(Search, space, Options, context.Seed, agents)), "manas");
        var ranked = ExpectMsg<SupernetRanked>(TimeSpan.FromSeconds(30));
        Assert.Equal(Options.Rounds, ranked.Stats.Rounds);

        // One worker: the i-th path trained is round i's, and it is the six agents' picks for ticket i.
        var trained = supernet.Trained.ToArray();
        Assert.Equal(Options.Rounds, trained.Length);
        var pickOf = picks.GroupBy(p => (p.Agent, p.Pick.Ticket)).ToDictionary(g => g.Key, g => g.Select(p => p.Pick.Choice).Distinct().Single());
        for (var round = 0; round < Options.Rounds; round++)
            Assert.Equal(Enumerable.Range(0, Nb201Space.Edges).Select(e => (double)pickOf[(e, round)]), trained[round]);

        // Every agent is sent each round's reward once: the reward of the path trained in that round.
        var shared = rewards.ToArray();
        Assert.Equal(Options.Rounds * Nb201Space.Edges, shared.Length);
        foreach (var group in shared.GroupBy(r => r.Ticket))
        {
            Assert.Equal(Enumerable.Range(0, Nb201Space.Edges), group.Select(r => r.AgentId.Index).Order());
            Assert.All(group, r => Assert.Equal(FakeManasSupernet.Reward(trained[r.Ticket]), r.Reward));
        }

        // The agents learned every round, and the ranking's first cell is each agent's favourite op.
        var views = Enumerable.Range(0, Nb201Space.Edges).Select(i =>
        {
            region.Tell(new GetAgent(new AgentId(Search, i)));
            return ExpectMsg<AgentView>();
        }).ToArray();
        Assert.All(views, v => Assert.Empty(v.Awaiting));
        Assert.All(views, v => Assert.Equal(Options.Rounds, v.Updates));
        Assert.Equal(views.Select(v => (double)v.Best), ranked.Ranking[0].Values);
        Assert.All(ranked.Ranking.Skip(1), r => Assert.True(r.Score <= ranked.Ranking[0].Score));

        // A restarted driver finds every round done (in the shards, learned by the agents): nothing trained or rewarded again.
        Sys.ActorOf(SupernetRun.Props(Search, supernet, rounds, context, shards, TestActor,
            agents: RoundAgents.Props(Search, space, Options, context.Seed, agents)), "manas-again");
        var again = ExpectMsg<SupernetRanked>(TimeSpan.FromSeconds(30));
        Assert.Equal(Options.Rounds, again.Stats.RecoveredRounds);
        Assert.Equal(Options.Rounds, supernet.Trained.Count);
        Assert.Equal(Options.Rounds * Nb201Space.Edges, rewards.Count);
        Assert.Equal(ranked.Ranking[0].Values, again.Ranking[0].Values);
    }
}
