using Akka.Actor;
using NasActors.Core.Spaces;
using NasActors.Core.Strategies.Supernet;
using NasActors.Engine.Searches;
using static NasActors.Engine.Supernets.SposProtocol;
using static NasActors.Engine.Supernets.SupernetShardProtocol;

namespace NasActors.Engine.Supernets;

/// <summary>
/// Trains single paths of a supernet against its shards, one round at a time: asks the driver for a
/// round, fetches the path's blocks from the shards that own them, trains k mini-batches off the
/// actor thread, pushes the deltas with the versions they were based on, and reports the round.
/// Killed mid-round it loses only that round's un-pushed steps: nothing reaches a shard before the
/// push, and the driver re-runs the round.
/// </summary>
public sealed class SupernetWorker : ReceiveActor
{
    private readonly SearchId _search;
    private readonly ISupernet _supernet;
    private readonly SposOptions _options;
    private readonly SearchSpace _space;
    private readonly IActorRef _shards;
    private readonly IActorRef _driver;
    private readonly CancellationTokenSource _cancel = new();

    private RunRound? _round;
    private Genotype? _path;
    private readonly Dictionary<string, VersionedBlock> _fetched = new(StringComparer.Ordinal);
    private readonly List<PushResult> _answers = [];
    private int _awaiting;

    public SupernetWorker(SearchId search, ISupernet supernet, SposOptions options, SearchSpace space, IActorRef shards, IActorRef driver)
    {
        (_search, _supernet, _options, _space, _shards, _driver) = (search, supernet, options, space, shards, driver);
        Idle();
    }

    public static Props Props(SearchId search, ISupernet supernet, SposOptions options, SearchSpace space, IActorRef shards, IActorRef driver) =>
        Akka.Actor.Props.Create(() => new SupernetWorker(search, supernet, options, space, shards, driver));

    protected override void PreStart() => _driver.Tell(new RequestRound());

    protected override void PostStop() => _cancel.Cancel();

    private void Idle()
    {
        Receive<RunRound>(Start);
        Receive<NoMoreRounds>(_ => { });
    }

    private void Start(RunRound round)
    {
        _round = round;
        _path = _space.FromValues(round.Path);
        _fetched.Clear();
        var byShard = ByShard(_supernet.BlocksOf(_path));
        _awaiting = byShard.Count;
        foreach (var (shard, blocks) in byShard) _shards.Tell(new FetchBlocks(shard, blocks));
        Become(Fetching);
    }

    private void Fetching()
    {
        Receive<BlocksFetched>(fetched =>
        {
            foreach (var block in fetched.Blocks) _fetched[block.Name] = block;
            if (--_awaiting > 0) return;
            var (path, round, token) = (_path!, _round!, _cancel.Token);
            var weights = _fetched.ToDictionary(b => b.Key, b => BlockWeights.FromBytes(b.Value.Weights));
            Task.Run(() => (Trained)new(weights, _supernet.Train(path, weights, _options.BatchesPerRound, round.Seed, token)), token)
                .PipeTo(Self, failure: e => new Status.Failure(e));
            Become(Training);
        });
    }

    private void Training()
    {
        Receive<Trained>(trained =>
        {
            var byShard = ByShard(trained.Steps.Weights.Keys);
            _answers.Clear();
            _awaiting = byShard.Count;
            foreach (var (shard, blocks) in byShard)
                _shards.Tell(new PushBlocks(shard, blocks.Select(b =>
                    new BlockPush(b, _fetched[b].Version, trained.Steps.Weights[b].Minus(trained.Before[b]).ToBytes())).ToArray()));
            _samples = trained.Steps.Samples;
            _loss = trained.Steps.Loss;
            Become(Pushing);
        });
        // A failed round is not retried here: the worker restarts (default supervision), asks again, and the driver re-runs the round.
        Receive<Status.Failure>(failure => throw new InvalidOperationException($"supernet round {_round!.Round} failed: {failure.Cause.Message}", failure.Cause));
    }

    private int _samples;
    private double _loss;

    private void Pushing()
    {
        Receive<PushAnswered>(answered =>
        {
            _answers.AddRange(answered.Results);
            if (--_awaiting > 0) return;
            _driver.Tell(new RoundDone(_round!.Round, _answers.Count(a => a.Accepted), _answers.Count(a => !a.Accepted), _samples, _loss));
            Become(Idle);
            _driver.Tell(new RequestRound());
        });
    }

    private Dictionary<SupernetShardId, string[]> ByShard(IEnumerable<string> blocks) =>
        blocks.GroupBy(b => SupernetShardId.Owning(_search, b, _options.Shards)).ToDictionary(g => g.Key, g => g.ToArray());

    private sealed record Trained(IReadOnlyDictionary<string, BlockWeights> Before, SupernetSteps Steps);
}
