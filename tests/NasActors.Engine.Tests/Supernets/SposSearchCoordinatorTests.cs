using Akka.Actor;
using Akka.TestKit.Xunit2;
using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using NasActors.Core.Strategies.Supernet;
using NasActors.Engine.Entities;
using NasActors.Engine.Searches;
using NasActors.Engine.Supernets;
using NasActors.Engine.Tests.Support;
using static NasActors.Engine.Supernets.SupernetShardProtocol;

namespace NasActors.Engine.Tests.Supernets;

/// <summary>
/// SPOS driven by the search coordinator (fake supernet, local regions, in-memory journal): phases 1-2 run as the
/// coordinator's child, the ranking is journaled, phase 3 retrains it as ordinary trials; a full restart in phase 1
/// (coordinator and shards) resumes without training any round twice.
/// </summary>
public sealed class SposSearchCoordinatorTests() : SupernetShardTestKit("nas-spos-search-")
{
    private const int Rounds = 12;
    private static readonly SearchId Id = new("spos-search");

    private static readonly SearchSpec Spec = TestSpecs.Mlp(3, "spos") with
    {
        Strategy = new StrategySpec("spos", new Dictionary<string, double>
        {
            ["workers"] = 2, ["shards"] = 2, ["rounds"] = Rounds, ["batches_per_round"] = 2, ["max_staleness"] = 100,
            ["population"] = 6, ["generations"] = 2, ["parents"] = 2
        })
    };

    private static readonly SearchDefinition Definition = SearchDefinition.From(Spec, new DatasetShape(4, 3));

    /// <summary>Hands out the supernets a test prepared, one per call (the coordinator builds one per run of its phases).</summary>
    private sealed class Provider(params FakeSupernet[] supernets) : ISupernetProvider
    {
        private int _calls;

        public int Calls => _calls;

        public ISupernet For(SearchDefinition definition, SposOptions options) => supernets[Math.Min(Interlocked.Increment(ref _calls), supernets.Length) - 1];
    }

    private (EntityRegions Regions, IActorRef Shards) Regions(string prefix, ISupernetProvider supernets)
    {
        var shards = Shards($"{prefix}-supernet-shards");
        return (LocalRegions.Start(Sys, prefix) with { SupernetShards = shards, Supernets = supernets }, shards);
    }

    /// <summary>Phase 2 replayed outside the actors: the fake supernet's scores do not depend on its weights.</summary>
    private static IReadOnlyList<string> ExpectedRanking(FakeSupernet supernet)
    {
        var options = ((SposSearch)Definition.CreateStrategy()).Options;
        var evolution = new SubnetEvolution(Definition.StrategyContext(), options, supernet.PathKey);
        while (evolution.NextGeneration() is { Count: > 0 } generation)
            foreach (var g in generation) evolution.Record(g, supernet.Score(g, new Dictionary<string, BlockWeights>(), CancellationToken.None));
        return evolution.Ranking.Select(r => r.Genotype.Canonical).ToArray();
    }

    [Fact]
    public void A_search_restarted_in_phase_1_trains_each_round_once_and_retrains_the_ranking_as_trials()
    {
        var space = (MlpSpace)Definition.Space;
        var held = new FakeSupernet(space) { HoldFromCall = 5 };
        var fresh = new FakeSupernet(space);
        var provider = new Provider(held, fresh);
        var (regions, shards) = Regions("before", provider);
        var search = new EntitySearch(this, regions, Id).Start(Spec, "coordinator-before");

        // Phase 1 is under way (the fifth training step is held): no trial is proposed while the supernet trains.
        Assert.True(held.Held.Wait(TimeSpan.FromSeconds(20)), "phase 1 never reached its fifth training step");
        search.Coordinator.Tell(new SearchProtocol.RequestWork(Id, "t", false), TestActor);
        ExpectMsg<SearchProtocol.NoWorkYet>();

        // Full restart: the coordinator (with its SPOS run and workers) and the shards stop; nothing survives but the journal and the block files.
        foreach (var actor in new[] { search.Coordinator, shards })
        {
            Watch(actor);
            Sys.Stop(actor);
            ExpectTerminated(actor);
        }
        held.Release.Set();

        var (again, shardsAgain) = Regions("after", provider);
        var resumed = new EntitySearch(this, again, Id);
        resumed.Recreate("coordinator-after");
        var trials = Enumerable.Range(0, 3).Select(i => resumed.Lease($"t{i}", seconds: 60)).ToArray();
        foreach (var work in trials) resumed.Complete("t", work.Trial.TrialId, 0.5 + work.Trial.TrialId / 10.0);
        var status = resumed.AwaitPhase(SearchPhase.Finished);

        // The ranking's best three, in rank order, each trained once.
        Assert.Equal(ExpectedRanking(fresh).Take(3), status.Trials!.Select(t => t.Architecture));
        Assert.Equal((3, 0), (status.Completed, status.Failed));
        Assert.Equal(2, provider.Calls);
        // Rounds are exactly-once across the restart: the head (in every path) holds one step per round. The resumed run
        // trained only the rounds the shards lacked: at least two were in before the restart (the fifth step starts a
        // worker's third round), at most four (four steps had finished).
        shardsAgain.Tell(new FetchBlocks(SupernetShardId.Owning(Id, "head", 2), ["head"]), TestActor);
        Assert.Equal(Rounds, ExpectMsg<BlocksFetched>().Blocks.Single().Version);
        Assert.InRange(fresh.Calls, Rounds - 4, Rounds - 2);
    }
}
