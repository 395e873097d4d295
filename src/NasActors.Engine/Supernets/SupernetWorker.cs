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
/// push, and the driver re-runs the round. A shard that does not answer within the reply timeout (its
/// node died, the message was lost) is asked again: fetching is idempotent, and so is a push, which
/// names its round (a shard decides each (round, block) once), so a push that may have landed is
/// simply sent again until its shard answers.
/// <para>
/// A trainer's worker (<c>joined: true</c>, on a cluster) serves a driver on another node: it stops when the driver has no
/// more rounds for it or the driver is gone (its node died; the trainer then asks the search again and meets the new driver).
/// </para>
/// </summary>
public sealed class SupernetWorker : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan DefaultReplyTimeout = TimeSpan.FromSeconds(30);

    private readonly SearchId _search;
    private readonly ISupernet _supernet;
    private readonly SposOptions _options;
    private readonly SearchSpace _space;
    private readonly IActorRef _shards;
    private readonly IActorRef _driver;
    private readonly CancellationTokenSource _cancel = new();
    private readonly TimeSpan _replyTimeout;
    private readonly bool _joined;
    private Dictionary<SupernetShardId, string[]> _unanswered = new();
    private readonly Dictionary<SupernetShardId, PushBlocks> _pushes = new();

    private RunRound? _round;
    private Genotype? _path;
    private readonly Dictionary<string, VersionedBlock> _fetched = new(StringComparer.Ordinal);
    private readonly List<PushResult> _answers = [];
    private int _samples;
    private double _loss;
    private double? _reward;

    public SupernetWorker(SearchId search, ISupernet supernet, SposOptions options, SearchSpace space, IActorRef shards, IActorRef driver, TimeSpan replyTimeout,
        bool joined)
    {
        (_search, _supernet, _options, _space, _shards, _driver, _replyTimeout, _joined) = (search, supernet, options, space, shards, driver, replyTimeout, joined);
        Idle();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(SearchId search, ISupernet supernet, SposOptions options, SearchSpace space, IActorRef shards, IActorRef driver, TimeSpan? replyTimeout = null,
        bool joined = false) =>
        Akka.Actor.Props.Create(() => new SupernetWorker(search, supernet, options, space, shards, driver, replyTimeout ?? DefaultReplyTimeout, joined));

    protected override void PreStart()
    {
        if (_joined) Context.Watch(_driver);
        _driver.Tell(new RequestRound());
    }

    protected override void PostStop() => _cancel.Cancel();

    /// <summary>The driver of a joined worker is gone (in any state): the round in hand is the new driver's to hand out.</summary>
    protected override void Unhandled(object message)
    {
        if (message is Terminated dead && dead.ActorRef.Equals(_driver)) Context.Stop(Self);
        else base.Unhandled(message);
    }

    private void Idle()
    {
        Receive<RunRound>(Start);
        Receive<NoMoreRounds>(_ =>
        {
            if (_joined) Context.Stop(Self);
        });
        IgnoreLateAnswers();
    }

    /// <summary>Answers to a repeated fetch, or to a push given up on, may still arrive after the round moved on.</summary>
    private void IgnoreLateAnswers()
    {
        Receive<BlocksFetched>(_ => { });
        Receive<PushAnswered>(_ => { });
        Receive<ReplyTimeout>(_ => { });
    }

    private void Start(RunRound round)
    {
        _round = round;
        _path = _space.FromValues(round.Path);
        _fetched.Clear();
        _unanswered = ByShard(_supernet.BlocksOf(_path));
        foreach (var (shard, blocks) in _unanswered) _shards.Tell(new FetchBlocks(shard, blocks));
        Timers.StartSingleTimer(ReplyTimeout.Instance, ReplyTimeout.Instance, _replyTimeout);
        Become(Fetching);
    }

    private void Fetching()
    {
        Receive<BlocksFetched>(fetched =>
        {
            if (!_unanswered.Remove(fetched.ShardId)) return; // a late answer to a repeated fetch
            foreach (var block in fetched.Blocks) _fetched[block.Name] = block;
            if (_unanswered.Count > 0) return;
            Timers.Cancel(ReplyTimeout.Instance);
            var (path, round, token) = (_path!, _round!, _cancel.Token);
            var weights = _fetched.ToDictionary(b => b.Key, b => BlockWeights.FromBytes(b.Value.Weights));
            Task.Run(() => (Trained)new(weights, _supernet.Train(path, weights, _options.BatchesPerRound, round.Seed, token)), token)
                .PipeTo(Self, failure: e => new Status.Failure(e));
            Become(Training);
        });
        Receive<ReplyTimeout>(_ =>
        {
            foreach (var (shard, blocks) in _unanswered) _shards.Tell(new FetchBlocks(shard, blocks));
            Timers.StartSingleTimer(ReplyTimeout.Instance, ReplyTimeout.Instance, _replyTimeout);
        });
    }

    private void Training()
    {
        Receive<Trained>(trained =>
        {
            _unanswered = ByShard(trained.Steps.Weights.Keys);
            _answers.Clear();
            _pushes.Clear();
            foreach (var (shard, blocks) in _unanswered)
                _pushes[shard] = new PushBlocks(shard, blocks.Select(b =>
                    new BlockPush(b, _fetched[b].Version, trained.Steps.Weights[b].Minus(trained.Before[b]).ToBytes())).ToArray(), _round!.Round);
            foreach (var push in _pushes.Values) _shards.Tell(push);
            Timers.StartSingleTimer(ReplyTimeout.Instance, ReplyTimeout.Instance, _replyTimeout);
            _samples = trained.Steps.Samples;
            _loss = trained.Steps.Loss;
            _reward = trained.Steps.Reward;
            Become(Pushing);
        });
        IgnoreLateAnswers();
        // A failed round is not retried here: the worker restarts (default supervision), asks again, and the driver re-runs the round.
        Receive<Status.Failure>(failure => throw new InvalidOperationException($"supernet round {_round!.Round} failed: {failure.Cause.Message}", failure.Cause));
    }

    private void Pushing()
    {
        Receive<PushAnswered>(answered =>
        {
            if (!_unanswered.Remove(answered.ShardId)) return;
            _answers.AddRange(answered.Results);
            if (_unanswered.Count == 0) FinishRound();
        });
        Receive<ReplyTimeout>(_ =>
        {
            // The push may have landed before its answer was lost: the shard answers a second copy as a duplicate.
            foreach (var shard in _unanswered.Keys) _shards.Tell(_pushes[shard]);
            Timers.StartSingleTimer(ReplyTimeout.Instance, ReplyTimeout.Instance, _replyTimeout);
        });
    }

    private void FinishRound()
    {
        Timers.Cancel(ReplyTimeout.Instance);
        _driver.Tell(new RoundDone(_round!.Round, _answers.Count(a => a.Accepted), _answers.Count(a => !a.Accepted), _samples, _loss, _reward));
        Become(Idle);
        _driver.Tell(new RequestRound());
    }

    private Dictionary<SupernetShardId, string[]> ByShard(IEnumerable<string> blocks) =>
        blocks.GroupBy(b => SupernetShardId.Owning(_search, b, _options.Shards)).ToDictionary(g => g.Key, g => g.ToArray());

    private sealed class ReplyTimeout
    {
        public static readonly ReplyTimeout Instance = new();
    }

    private sealed record Trained(IReadOnlyDictionary<string, BlockWeights> Before, SupernetSteps Steps);
}
