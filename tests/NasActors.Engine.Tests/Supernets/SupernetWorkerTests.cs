using Akka.Actor;
using Akka.TestKit.Xunit2;
using NasActors.Core.Randomness;
using NasActors.Core.Strategies.Supernet;
using NasActors.Engine.Entities;
using NasActors.Engine.Searches;
using NasActors.Engine.Supernets;
using NasActors.Engine.Tests.Support;
using static NasActors.Engine.Supernets.SposProtocol;
using static NasActors.Engine.Supernets.SupernetShardProtocol;

namespace NasActors.Engine.Tests.Supernets;

/// <summary>Supernet workers against real shards (local region, in-memory journal) and a fake supernet.</summary>
public sealed class SupernetWorkerTests() : SupernetShardTestKit("nas-workers-")
{
    private static readonly SearchId Search = new("workers");
    private static readonly SposOptions Options = new(Workers: 2, Shards: 2, Rounds: 12, BatchesPerRound: 3, MaxStaleness: 100, Population: 6, Generations: 3, Parents: 2);

    private void Initialise(IActorRef shards, FakeSupernet supernet)
    {
        var byShard = supernet.Initialise(3).GroupBy(w => SupernetShardId.Owning(Search, w.Key, Options.Shards)).ToArray();
        foreach (var shard in byShard)
        {
            shards.Tell(new InitialiseShard(shard.Key, Options.MaxStaleness, shard.ToDictionary(w => w.Key, w => w.Value.ToBytes())));
            ExpectMsg<ShardReady>();
        }
    }

    private Dictionary<string, VersionedBlock> Fetch(IActorRef shards, IEnumerable<string> blocks)
    {
        var all = new Dictionary<string, VersionedBlock>();
        foreach (var group in blocks.GroupBy(b => SupernetShardId.Owning(Search, b, Options.Shards)))
        {
            shards.Tell(new FetchBlocks(group.Key, group.ToArray()));
            foreach (var block in ExpectMsg<BlocksFetched>().Blocks) all[block.Name] = block;
        }
        return all;
    }

    [Fact]
    public void A_worker_killed_mid_training_loses_only_its_unpushed_steps()
    {
        var space = FakeSupernet.Space();
        var supernet = new FakeSupernet(space) { HoldFromCall = 2 };
        var shards = Shards();
        Initialise(shards, supernet);
        var driver = CreateTestProbe();
        var path = space.Sample(new SeededRandom(1));

        var worker = Sys.ActorOf(SupernetWorker.Props(Search, supernet, Options, space, shards, driver), "doomed");
        driver.ExpectMsg<RequestRound>();
        driver.Reply(new RunRound(0, path.Values, 11));
        Assert.Equal(supernet.BlocksOf(path).Count, driver.ExpectMsg<RoundDone>().Accepted);
        driver.ExpectMsg<RequestRound>();
        driver.Reply(new RunRound(1, path.Values, 12));
        Assert.True(supernet.Held.Wait(TimeSpan.FromSeconds(10)), "the second round never started training");

        Watch(worker);
        Sys.Stop(worker);
        ExpectTerminated(worker);
        supernet.Release.Set();

        // Round 0's steps are in the shards, round 1's never left the worker.
        var blocks = Fetch(shards, supernet.Blocks);
        Assert.All(supernet.BlocksOf(path), b => Assert.Equal(1, blocks[b].Version));
        Assert.All(supernet.BlocksOf(path), b => Assert.Equal([3f + 1, 1f], FakeSupernet.Values(blocks[b].Weights)));
        Assert.All(supernet.Blocks.Except(supernet.BlocksOf(path)), b => Assert.Equal(0, blocks[b].Version));

        // Another worker runs the lost round from the versions the shards hold.
        var next = Sys.ActorOf(SupernetWorker.Props(Search, supernet, Options, space, shards, driver), "next");
        driver.ExpectMsg<RequestRound>();
        driver.Reply(new RunRound(1, path.Values, 12));
        driver.ExpectMsg<RoundDone>(TimeSpan.FromSeconds(10));
        Assert.All(supernet.BlocksOf(path), b => Assert.Equal(2, Fetch(shards, [b])[b].Version));
    }

    [Fact]
    public void A_run_trains_every_round_despite_a_killed_worker_and_ranks_the_subnets()
    {
        var space = FakeSupernet.Space();
        var supernet = new FakeSupernet(space) { HoldFromCall = 4 };
        var shards = Shards();
        var context = new Core.Strategies.StrategyContext(space, new Core.Trials.Fidelity(1), Seed: 9);
        var run = Sys.ActorOf(SupernetRun.Props(Search, supernet, Options, context, shards, TestActor), "spos");

        Assert.True(supernet.Held.Wait(TimeSpan.FromSeconds(10)), "no round reached training");
        var workers = Ask<WorkersView>(run, new GetWorkers());
        Assert.Equal(2, workers.Workers.Count);
        // Kill one worker while it (or its peer) is held mid-training, then let training go on.
        Sys.Stop(workers.Workers[0]);
        AwaitAssert(() => Assert.DoesNotContain(workers.Workers[0], Ask<WorkersView>(run, new GetWorkers()).Workers));
        supernet.Release.Set();

        var ranked = ExpectMsg<SupernetRanked>(TimeSpan.FromSeconds(30));
        Assert.Equal(Options.Rounds, ranked.Stats.Rounds);
        Assert.Equal(1, ranked.Stats.WorkersReplaced);
        Assert.Equal(0, ranked.Stats.RefusedPushes);
        // Every round trains the head exactly once: none lost, and a round re-run after its worker was killed (even one
        // whose push had landed before the run heard RoundDone) is not merged twice: the shard decides each (round, block) once.
        Assert.Equal(Options.Rounds, Fetch(shards, ["head"])["head"].Version);
        Assert.Equal(ranked.Ranking.Count, ranked.Ranking.Select(r => r.Canonical).Distinct().Count());
        Assert.True(ranked.Ranking.Count >= Options.Population);
        Assert.Equal(ranked.Ranking.Select(r => r.Score).OrderDescending(), ranked.Ranking.Select(r => r.Score));
    }

    /// <summary>A cluster's run: no workers of its own; trainers' workers join, and a departed one's round is handed out again.</summary>
    [Fact]
    public void A_run_without_local_workers_hands_the_round_of_a_departed_joined_worker_to_the_next()
    {
        var space = FakeSupernet.Space();
        var supernet = new FakeSupernet(space);
        var context = new Core.Strategies.StrategyContext(space, new Core.Trials.Fidelity(1), Seed: 9);
        var run = Sys.ActorOf(SupernetRun.Props(Search, supernet, Options, context, Shards(), TestActor, localWorkers: false), "cluster-spos");
        // Asked before the shards are ready: kept until they are, then answered.
        var first = CreateTestProbe();
        run.Tell(new RequestRound(), first.Ref);
        var held = first.ExpectMsg<RunRound>(TimeSpan.FromSeconds(10));
        Assert.Empty(Ask<WorkersView>(run, new GetWorkers()).Workers);

        // Its node is gone (a trainer killed mid-round): the next worker to ask gets that round.
        Sys.Stop(first.Ref);
        var second = CreateTestProbe();
        AwaitAssert(() =>
        {
            run.Tell(new RequestRound(), second.Ref);
            Assert.Equal(held.Round, second.ExpectMsg<RunRound>(TimeSpan.FromSeconds(1)).Round);
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_joined_worker_stops_when_its_driver_has_no_round_for_it_or_is_gone()
    {
        var space = FakeSupernet.Space();
        var supernet = new FakeSupernet(space);
        var told = CreateTestProbe();
        var done = Watch(Sys.ActorOf(SupernetWorker.Props(Search, supernet, Options, space, CreateTestProbe(), told, joined: true)));
        told.ExpectMsg<RequestRound>();
        told.Reply(new NoMoreRounds());
        ExpectTerminated(done);

        var dying = CreateTestProbe();
        var orphan = Watch(Sys.ActorOf(SupernetWorker.Props(Search, supernet, Options, space, CreateTestProbe(), dying, joined: true)));
        dying.ExpectMsg<RequestRound>();
        Sys.Stop(dying.Ref);
        ExpectTerminated(orphan);
    }

    [Fact]
    public void Fetches_and_pushes_without_an_answer_are_sent_again_and_pushes_name_their_round()
    {
        var space = FakeSupernet.Space();
        var supernet = new FakeSupernet(space);
        var shards = CreateTestProbe();
        var driver = CreateTestProbe();
        var path = space.Sample(new SeededRandom(1));
        var blocks = supernet.BlocksOf(path);
        var owners = blocks.Select(b => SupernetShardId.Owning(Search, b, Options.Shards)).Distinct().Count();
        Sys.ActorOf(SupernetWorker.Props(Search, supernet, Options, space, shards, driver, TimeSpan.FromMilliseconds(200)), "unanswered");
        driver.ExpectMsg<RequestRound>();
        driver.Reply(new RunRound(7, path.Values, 11));

        // The first fetches go unanswered (a shard's node died); the same fetches come again.
        var first = Enumerable.Range(0, owners).Select(_ => shards.ExpectMsg<FetchBlocks>()).ToArray();
        var again = Enumerable.Range(0, owners).Select(_ => shards.ExpectMsg<FetchBlocks>()).ToArray();
        Assert.Equal(first.Select(f => f.ShardId.Value).Order(), again.Select(f => f.ShardId.Value).Order());
        foreach (var fetch in again)
            shards.Reply(new BlocksFetched(fetch.ShardId, fetch.Blocks.Select(b => new VersionedBlock(b, 3, FakeSupernet.Block(0, 0).ToBytes())).ToArray()));

        // Pushes name round 7 and go out again while unanswered (the shard answers a second copy as a duplicate).
        var pushes = Enumerable.Range(0, owners).Select(_ => shards.ExpectMsg<PushBlocks>()).ToArray();
        Assert.All(pushes, p => Assert.Equal(7, p.Round));
        Assert.All(pushes.SelectMany(p => p.Pushes), p => Assert.Equal(3, p.BaseVersion));
        var resent = Enumerable.Range(0, owners).Select(_ => shards.ExpectMsg<PushBlocks>()).ToArray();
        Assert.Equal(pushes.Select(p => p.ShardId.Value).Order(), resent.Select(p => p.ShardId.Value).Order());
        foreach (var push in resent)
            shards.Reply(new PushAnswered(push.ShardId, push.Pushes.Select(p => new PushResult(p.Name, 4, null)).ToArray()));
        var done = driver.ExpectMsg<RoundDone>();
        Assert.Equal((7, blocks.Count, 0), (done.Round, done.Accepted, done.Refused));
        driver.ExpectMsg<RequestRound>();
    }
}
