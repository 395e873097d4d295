using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using NasActors.Core.Randomness;
using NasActors.Core.Spaces;
using NasActors.Core.Strategies;
using NasActors.Core.Strategies.Supernet;
using NasActors.Core.Strategies.OneShot;
using NasActors.Engine.Agents;
using NasActors.Engine.Searches;
using static NasActors.Engine.Supernets.SposProtocol;
using static NasActors.Engine.Supernets.SupernetShardProtocol;

namespace NasActors.Engine.Supernets;

/// <summary>
/// The generic supernet driver: runs phases 1 and 2 of a round-trained weight-sharing search (SPOS; first-order DARTS,
/// whose rounds train the weights and α of the whole supernet; weight-sharing MANAS, below) and reports <see cref="SupernetRanked"/> to its requester.
/// Phase 1: initialise the shards (idempotent: shards that already hold weights keep them), start
/// <see cref="SposOptions.Workers"/> <see cref="SupernetWorker"/>s and hand out rounds (round r's path
/// is drawn uniformly from the feasible subnets with a seed from (search seed, r)); a worker that dies
/// or restarts mid-round has its round handed out again, and a dead one is replaced. Phase 2: fetch
/// every block once and rank subnets with the method's <see cref="ISubnetRanker"/> (SPOS: <see cref="SubnetEvolution"/>,
/// each generation scored off the actor thread with the inherited weights; DARTS: the cells read off α). Phase 3 (retraining the best as trials) belongs to the
/// search coordinator, which gives the ranking to <see cref="SposSearch"/>.
/// <para>
/// On a cluster the rounds run on the trainers instead (<c>localWorkers: false</c>): any <see cref="SupernetWorker"/> that
/// sends <see cref="RequestRound"/> is taken on and watched; when its node is removed from the cluster its round is
/// handed out again (it is not replaced: its trainer, or another, joins again through the coordinator).
/// </para>
/// <para>
/// Weight-sharing MANAS (<c>agents</c> given): round r's path is the edge agents' picks for ticket r (<see cref="RoundAgents"/>),
/// asked for before the round is handed out; each round's reward (<see cref="RoundDone.Reward"/>) is shared with every agent
/// once; phase 2 ranks the cells by the agents' distributions (their favourite cell first) instead of the trained blocks.
/// </para>
/// </summary>
/// <remarks>
/// The driver keeps no journal of its own; the shards' journals are the record of phase 1. Every push names
/// its round and a shard decides each (round, block) once, so a round re-run after its worker died adds
/// nothing twice; a restarted driver re-initialises (a no-op on recovered shards), learns from each shard's
/// <see cref="ShardReady"/> which rounds every block of their path already holds, and hands out only the rest.
/// With agents a round counts as done when a block holds it and not every agent still awaits its ticket: an agent stops
/// awaiting only when rewarded, which follows every push. An agent still awaiting a done round (the restart came between
/// the rewards) is told to learn nothing from it: the reward was not kept. A round every agent awaits runs again (its pushes are
/// duplicates; its reward is measured again).
/// </remarks>
public sealed class SupernetRun : ReceiveActor, IWithUnboundedStash
{
    private readonly SearchId _search;
    private readonly ISupernet _supernet;
    private readonly SposOptions _options;
    private readonly StrategyContext _context;
    private readonly IActorRef _shards;
    private readonly IActorRef _requester;
    private readonly bool _localWorkers;
    private readonly HashSet<IActorRef> _remoteWorkers = [];

    private readonly Queue<int> _requeued = new();
    private readonly Dictionary<IActorRef, int> _inFlight = new();
    private readonly HashSet<int> _completed = [];
    private readonly List<IActorRef> _workers = [];
    private readonly Dictionary<string, BlockWeights> _weights = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<int>> _roundsIn = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private int _nextRound, _awaiting, _accepted, _refused, _replaced, _workerNames, _recovered;
    private long _samples;
    private double _trainingSeconds;
    private readonly Func<IReadOnlyDictionary<string, BlockWeights>, ISubnetRanker> _newRanker;
    private ISubnetRanker? _ranker;
    private readonly Props? _agentsProps;
    private IActorRef? _agents;
    private IReadOnlyList<AgentView>? _agentViews;
    private readonly Dictionary<int, IReadOnlyList<double>> _agentPaths = new();
    private readonly HashSet<int> _pathsAsked = [];

    public SupernetRun(SearchId search, ISupernet supernet, SposOptions options, StrategyContext context, IActorRef shards, IActorRef requester, bool localWorkers,
        Func<IReadOnlyDictionary<string, BlockWeights>, ISubnetRanker>? ranker, Props? agents)
    {
        _agentsProps = agents;
        (_search, _supernet, _options, _context, _shards, _requester, _localWorkers) = (search, supernet, options, context, shards, requester, localWorkers);
        _newRanker = ranker ?? (_ => new SubnetEvolution(_context, _options, _supernet.PathKey));
        Receive<Initial>(initial =>
        {
            var byShard = initial.Weights.GroupBy(w => SupernetShardId.Owning(_search, w.Key, _options.Shards)).ToArray();
            _awaiting = byShard.Length;
            foreach (var shard in byShard)
                _shards.Tell(new InitialiseShard(shard.Key, _options.MaxStaleness, shard.ToDictionary(w => w.Key, w => w.Value.ToBytes())));
            Become(Initialising);
        });
        Receive<Status.Failure>(failure => throw new InvalidOperationException($"supernet initialisation failed: {failure.Cause.Message}", failure.Cause));
        // A trainer's worker may ask before the shards are ready (the coordinator offers the run as soon as it exists).
        Receive<RequestRound>(_ => Stash.Stash());
        Receive<RoundAgents.AgentsViewed>(viewed => _agentViews = viewed.Views);
    }

    public IStash Stash { get; set; } = null!;

    /// <param name="localWorkers">start <see cref="SposOptions.Workers"/> workers as children (one process); false: trainers' workers join (a cluster)</param>
    /// <param name="ranker">phase 2 over the trained blocks (<see cref="ITrainsSupernet.NewRanker"/>); null: SPOS' evolution</param>
    /// <param name="agents">weight-sharing MANAS: <see cref="RoundAgents"/>' props, the source of the rounds' paths and the ranking</param>
    public static Props Props(SearchId search, ISupernet supernet, SposOptions options, StrategyContext context, IActorRef shards, IActorRef requester,
        bool localWorkers = true, Func<IReadOnlyDictionary<string, BlockWeights>, ISubnetRanker>? ranker = null, Props? agents = null) =>
        Akka.Actor.Props.Create(() => new SupernetRun(search, supernet, options, context, shards, requester, localWorkers, ranker, agents));

    protected override void PreStart()
    {
        var (supernet, seed) = (_supernet, _context.Seed);
        Task.Run(() => new Initial(supernet.Initialise(seed))).PipeTo(Self);
        if (_agentsProps is null) return;
        _agents = Context.ActorOf(_agentsProps, "agents");
        _agents.Tell(new RoundAgents.ViewAgents());
    }

    private void Initialising()
    {
        Receive<RequestRound>(_ => Stash.Stash());
        Receive<ShardReady>(ready =>
        {
            foreach (var (block, rounds) in ready.Rounds ?? new Dictionary<string, IReadOnlyList<int>>()) _roundsIn[block] = [.. rounds];
            --_awaiting;
            StartTrainingWhenRecovered();
        });
        Receive<RoundAgents.AgentsViewed>(viewed =>
        {
            _agentViews = viewed.Views;
            StartTrainingWhenRecovered();
        });
    }

    private void StartTrainingWhenRecovered()
    {
        if (_awaiting > 0 || (_agents is not null && _agentViews is null)) return;
        // Rounds done before a restart are not run again.
        for (var r = 0; r < _options.Rounds; r++)
            if (_agentViews is null ? _supernet.BlocksOf(PathOf(r)).All(b => _roundsIn.TryGetValue(b, out var rounds) && rounds.Contains(r)) : DoneByAgents(r))
                _completed.Add(r);
        // Agents still awaiting a done round (the restart came between the rewards) learn nothing from it.
        foreach (var r in _completed.Where(r => _agentViews?.Any(v => v.Awaiting.Contains(r)) == true))
            _agents!.Tell(new RoundAgents.Rewarded(r, null));
        _recovered = _completed.Count;
        _roundsIn.Clear();
        _clock.Start();
        Stash.UnstashAll();
        if (_completed.Count == _options.Rounds)
        {
            FinishTraining();
            return;
        }
        if (_localWorkers)
            for (var w = 0; w < _options.Workers; w++) StartWorker();
        Become(TrainingSupernet);
    }

    /// <summary>A block holds the round and some agent has learned from it (so every push was answered before its reward).</summary>
    private bool DoneByAgents(int round) =>
        _roundsIn.Values.Any(rounds => rounds.Contains(round)) && !_agentViews!.All(v => v.Awaiting.Contains(round));

    private void TrainingSupernet()
    {
        Receive<RequestRound>(_ =>
        {
            // A trainer's worker joins by asking; watched, so that its round is handed out again if its node goes.
            if (!_workers.Contains(Sender) && _remoteWorkers.Add(Sender))
            {
                Context.Watch(Sender);
                _log.Info("search {0}: supernet worker {1} joined", _search, Sender.Path);
            }
            // A worker asking while it holds a round has restarted: that round's steps never arrived.
            if (_inFlight.Remove(Sender, out var lost)) _requeued.Enqueue(lost);
            if (NextRound() is not { } round)
            {
                Sender.Tell(new NoMoreRounds());
                return;
            }
            _inFlight[Sender] = round;
            HandOut(Sender, round);
        });
        Receive<RoundAgents.RoundPath>(path =>
        {
            _agentPaths[path.Round] = path.Path;
            foreach (var (worker, round) in _inFlight.Where(w => w.Value == path.Round).ToArray()) HandOut(worker, round);
        });
        Receive<RoundDone>(done =>
        {
            _inFlight.Remove(Sender);
            if (!_completed.Add(done.Round)) return;
            _agents?.Tell(new RoundAgents.Rewarded(done.Round, done.Reward));
            (_accepted, _refused, _samples) = (_accepted + done.Accepted, _refused + done.Refused, _samples + done.Samples);
            if (_completed.Count == _options.Rounds) FinishTraining();
        });
        Receive<Terminated>(dead => _remoteWorkers.Contains(dead.ActorRef), dead =>
        {
            _remoteWorkers.Remove(dead.ActorRef);
            if (!_inFlight.Remove(dead.ActorRef, out var lost)) return;
            _requeued.Enqueue(lost);
            _replaced++;
            _log.Info("search {0}: supernet worker {1} left holding round {2}; the round is handed out again", _search, dead.ActorRef.Path, lost);
        });
        Receive<Terminated>(dead =>
        {
            _workers.Remove(dead.ActorRef);
            if (_inFlight.Remove(dead.ActorRef, out var lost)) _requeued.Enqueue(lost);
            _replaced++;
            StartWorker();
        });
        Receive<GetWorkers>(_ => Sender.Tell(new WorkersView(_workers.ToArray(), _completed.Count)));
    }

    private void FinishTraining()
    {
        _trainingSeconds = _clock.Elapsed.TotalSeconds;
        foreach (var worker in _workers)
        {
            Context.Unwatch(worker);
            Context.Stop(worker);
        }
        _workers.Clear();
        foreach (var worker in _remoteWorkers) Context.Unwatch(worker);
        _remoteWorkers.Clear();
        if (_agents is not null)
        {
            // The agents rank the cells: their distributions, not the trained blocks.
            _agents.Tell(new RoundAgents.ViewAgents());
            Become(AwaitingAgents);
            return;
        }
        var byShard = _supernet.Blocks.GroupBy(b => SupernetShardId.Owning(_search, b, _options.Shards)).ToArray();
        _awaiting = byShard.Length;
        foreach (var shard in byShard) _shards.Tell(new FetchBlocks(shard.Key, shard.ToArray()));
        Become(FetchingSupernet);
    }

    private void FetchingSupernet()
    {
        Receive<BlocksFetched>(fetched =>
        {
            foreach (var block in fetched.Blocks) _weights[block.Name] = BlockWeights.FromBytes(block.Weights);
            if (--_awaiting > 0) return;
            _clock.Restart();
            _ranker = _newRanker(_weights);
            Become(Searching);
            ScoreNextGeneration();
        });
        Receive<RoundDone>(_ => { });
        Receive<RequestRound>(_ => Sender.Tell(new NoMoreRounds()));
    }

    private void AwaitingAgents()
    {
        Receive<RoundAgents.AgentsViewed>(viewed =>
        {
            _clock.Restart();
            _ranker = new AlphaRanking(_context.Space, RoundAgents.Probabilities(viewed.Views));
            Become(Searching);
            ScoreNextGeneration();
        });
        Receive<RoundDone>(_ => { });
        Receive<RequestRound>(_ => Sender.Tell(new NoMoreRounds()));
    }

    private void Searching()
    {
        Receive<Scored>(scored =>
        {
            foreach (var (genotype, score) in scored.Scores) _ranker!.Record(genotype, score);
            ScoreNextGeneration();
        });
        Receive<Status.Failure>(failure => throw new InvalidOperationException($"scoring subnets failed: {failure.Cause.Message}", failure.Cause));
        Receive<RoundDone>(_ => { });
        Receive<RequestRound>(_ => Sender.Tell(new NoMoreRounds()));
    }

    private void ScoreNextGeneration()
    {
        var generation = _ranker!.NextGeneration();
        if (generation.Count == 0)
        {
            var ranking = _ranker.Ranking.Select(r => new RankedSubnet(r.Genotype.Values, r.Genotype.Canonical, r.Score)).ToArray();
            _requester.Tell(new SupernetRanked(_search, ranking,
                new SupernetRunStats(_completed.Count, _samples, _accepted, _refused, _replaced, _trainingSeconds, _clock.Elapsed.TotalSeconds, _recovered)));
            Context.Stop(Self);
            return;
        }
        var (supernet, weights) = (_supernet, (IReadOnlyDictionary<string, BlockWeights>)_weights);
        Task.Run(() => new Scored(generation.Select(g => (g, supernet.Score(g, weights, CancellationToken.None))).ToArray())).PipeTo(Self);
    }

    /// <summary>Gives a worker its round, once the round's path is known (with agents: once every agent has picked for it).</summary>
    private void HandOut(IActorRef worker, int round)
    {
        if (_agents is null)
        {
            worker.Tell(new RunRound(round, PathOf(round).Values, RoundSeed(round, stream: 2)));
            return;
        }
        if (_agentPaths.TryGetValue(round, out var path))
            worker.Tell(new RunRound(round, path, RoundSeed(round, stream: 2)));
        else if (_pathsAsked.Add(round))
            _agents.Tell(new RoundAgents.PathWanted(round));
    }

    private int? NextRound()
    {
        while (_requeued.TryDequeue(out var again))
            if (!_completed.Contains(again)) return again;
        while (_nextRound < _options.Rounds && _completed.Contains(_nextRound)) _nextRound++;
        return _nextRound < _options.Rounds ? _nextRound++ : null;
    }

    /// <summary>Round r's path: uniform over the feasible subnets, from its own seed (so a re-run round trains the same path).</summary>
    private Genotype PathOf(int round)
    {
        var random = new SeededRandom(RoundSeed(round, stream: 1));
        for (var attempt = 0; attempt < 1000; attempt++)
            if (_context.Space.Sample(random) is var path && _context.IsFeasible(path)) return path;
        throw new InvalidOperationException("no subnet within the constraints found in 1000 samples");
    }

    private long RoundSeed(int round, int stream) => new SeededRandom(unchecked(_context.Seed * 1_000_003 + round * 8 + stream)).NextSeed();

    private void StartWorker()
    {
        var worker = Context.ActorOf(SupernetWorker.Props(_search, _supernet, _options, _context.Space, _shards, Self), $"worker-{_workerNames++}");
        _workers.Add(Context.Watch(worker));
    }

    private sealed record Initial(IReadOnlyDictionary<string, BlockWeights> Weights);

    private sealed record Scored(IReadOnlyList<(Genotype Genotype, double Score)> Scores);
}
