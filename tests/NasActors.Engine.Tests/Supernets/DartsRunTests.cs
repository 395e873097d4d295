using Akka.Actor;
using NasActors.Core.Spaces;
using NasActors.Core.Strategies;
using NasActors.Core.Strategies.OneShot;
using NasActors.Core.Strategies.Supernet;
using NasActors.Engine.Entities;
using NasActors.Engine.Searches;
using NasActors.Engine.Supernets;
using NasActors.Engine.Tests.Support;
using static NasActors.Engine.Supernets.SposProtocol;
using static NasActors.Engine.Supernets.SupernetShardProtocol;

namespace NasActors.Engine.Tests.Supernets;

/// <summary>
/// First-order DARTS on the generic supernet driver (<see cref="SupernetRun"/>), without TorchSharp: α is a block held by a
/// shard like the weights, every round pushes both, and phase 2 reads the cells off the shard's α.
/// </summary>
public sealed class DartsRunTests() : SupernetShardTestKit("nas-darts-run-")
{
    private static readonly SearchId Search = new("darts-run");
    private static readonly DartsOptions Options = new(Steps: 16, StepsPerRound: 2, Workers: 2, Shards: 2, MaxStaleness: 100);

    /// <summary>
    /// A DARTS-shaped fake: a weight block and α ([6 edges, 5 ops]); every round adds 1 to the weights and 0.1 to α at
    /// op <see cref="Nb201FakeSupernet.Favoured"/>(e) of edge e, so the trained α's argmax is known.
    /// </summary>
    private sealed class FakeDartsSupernet : Nb201FakeSupernet
    {
        public override IReadOnlyList<string> Blocks { get; } = ["stem", DartsSearch.AlphaBlock];

        public override IReadOnlyList<string> BlocksOf(Genotype path) => Blocks;

        protected override BlockWeights Initial(string block) =>
            block == DartsSearch.AlphaBlock ? Alpha(new float[Nb201Space.Edges * 5]) : base.Initial(block);

        protected override BlockWeights Step(string block)
        {
            if (block != DartsSearch.AlphaBlock) return base.Step(block);
            var preference = new float[Nb201Space.Edges * 5];
            for (var e = 0; e < Nb201Space.Edges; e++) preference[e * 5 + Favoured(e)] = 0.1f;
            return Alpha(preference);
        }

        private static BlockWeights Alpha(float[] values) => new([new NamedTensor(DartsSearch.AlphaBlock, [Nb201Space.Edges, 5], values)]);
    }

    [Fact]
    public void A_darts_run_trains_alpha_on_a_shard_every_round_and_ranks_its_argmax_cell_first()
    {
        var space = new Nb201Space();
        var darts = new DartsSearch(new StrategyContext(space, new Core.Trials.Fidelity(1), Seed: 4), Options);
        var shards = Shards();
        var rounds = darts.RoundOptions;
        Assert.Equal(8, rounds.Rounds);
        Sys.ActorOf(SupernetRun.Props(Search, new FakeDartsSupernet(), rounds, new StrategyContext(space, new Core.Trials.Fidelity(1), Seed: 4), shards, TestActor,
            ranker: trained => darts.NewRanker(trained, g => g.Canonical)), "darts");

        var ranked = ExpectMsg<SupernetRanked>(TimeSpan.FromSeconds(30));
        Assert.Equal(rounds.Rounds, ranked.Stats.Rounds);
        var expected = Enumerable.Range(0, Nb201Space.Edges).Select(e => (double)Nb201FakeSupernet.Favoured(e));
        Assert.Equal(expected, ranked.Ranking[0].Values);
        // The argmax, then one cell per edge with that edge's runner-up; scores fall from the argmax.
        Assert.Equal(Nb201Space.Edges + 1, ranked.Ranking.Count);
        Assert.All(ranked.Ranking.Skip(1), r => Assert.True(r.Score < ranked.Ranking[0].Score));

        // α lives in a shard, at one version per round: every round's push merged once.
        var alphaShard = SupernetShardId.Owning(Search, DartsSearch.AlphaBlock, rounds.Shards);
        shards.Tell(new FetchBlocks(alphaShard, [DartsSearch.AlphaBlock]));
        var alpha = Assert.Single(ExpectMsg<BlocksFetched>().Blocks);
        Assert.Equal(rounds.Rounds, alpha.Version);
        var values = BlockWeights.FromBytes(alpha.Weights).Tensors[0].Values;
        Assert.Equal(0.1f * rounds.Rounds, values[Nb201FakeSupernet.Favoured(0)], 3);
    }

    [Fact]
    public void Alpha_that_does_not_match_the_space_is_refused_with_its_shape()
    {
        var alpha = new BlockWeights([new NamedTensor(DartsSearch.AlphaBlock, [4, 5], new float[20])]);
        var refused = Assert.Throws<ArgumentException>(() => new AlphaRanking(new Nb201Space(), alpha));
        Assert.Contains("6 rows", refused.Message);
        Assert.Contains("4×5", refused.Message);
    }
}
