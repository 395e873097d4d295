using Akka.Actor;
using Akka.Event;
using NasActors.Core.Strategies.Supernet;
using NasActors.Engine.Entities;
using static NasActors.Engine.Supernets.SupernetShardEvents;
using static NasActors.Engine.Supernets.SupernetShardProtocol;

namespace NasActors.Engine.Supernets;

/// <summary>
/// A parameter-server slice of a one-shot supernet (persistent, sharded): owns the weights of a set
/// of choice blocks, one version per block, merged by <see cref="SupernetShardState"/>'s rule. Weights
/// live in files under the artifact root (written off the actor thread, atomically, before the event
/// that references them is persisted); the journal and snapshots hold only references and versions, so
/// a restarted shard reloads the files of the journaled versions and serves exactly those. While a
/// write or that reload is in flight, commands wait in the stash: a push is answered only once durable.
/// </summary>
public sealed class SupernetShard : PersistentEntity<ISupernetShardEvent>
{
    public const string PersistencePrefix = "supernet-shard";
    private readonly SupernetShardState _state;
    private readonly string _root;
    private readonly int _snapshotEvery;
    private bool _busy;

    public SupernetShard(string shardId, string artifactRoot, int snapshotEvery)
        : base($"{PersistencePrefix}-{shardId}", TimeSpan.FromMinutes(10))
    {
        _state = new SupernetShardState(SupernetShardId.Parse(shardId));
        _root = artifactRoot;
        _snapshotEvery = snapshotEvery;
        Command<InitialiseShard>(init => WhenIdle(() =>
        {
            var sender = Sender;
            Execute(_state.DecideInitialise(init.MaxStaleness, init.Blocks), () => sender.Tell(new ShardReady(_state.Id, _state.Versions, _state.Rounds)));
        }));
        Command<FetchBlocks>(fetch => WhenIdle(() => Sender.Tell(new BlocksFetched(_state.Id, _state.Fetch(fetch.Blocks)))));
        Command<PushBlocks>(push => WhenIdle(() =>
        {
            var sender = Sender;
            var plan = _state.DecidePush(push.Pushes, push.Round);
            Execute(plan, () => sender.Tell(new PushAnswered(_state.Id, plan.Results)));
        }));
        Command<GetShard>(_ => WhenIdle(() => Sender.Tell(_state.View())));
        Command<Written>(written => PersistThen(written.Plan.Events, () =>
        {
            foreach (var e in written.Plan.Events.OfType<BlockUpdated>())
            {
                _state.Cache(e.Block.Name, e.Block.Version, written.Plan.Weights[e.Block.Name]);
                // The journal now points at the new version; nothing will read the one before.
                if (e.Block.Version > 0) BlockFiles.TryDelete(_root, _state.FileOf(e.Block.Name, e.Block.Version - 1));
            }
            foreach (var e in written.Plan.Events.OfType<SupernetShardEvents.ShardInitialised>())
                foreach (var block in e.Blocks) _state.Cache(block.Name, block.Version, written.Plan.Weights[block.Name]);
            written.Reply();
            Idle();
        }));
        Command<Loaded>(loaded =>
        {
            foreach (var (block, weights) in loaded.Blocks) _state.Cache(block.Name, block.Version, weights);
            LogServing();
            Idle();
        });
        Command<Status.Failure>(failure =>
        {
            // A block file could not be written or read: stop, so nothing is answered from a state the journal does not back.
            Log.Error(failure.Cause, "{0}: block files failed; stopping", PersistenceId);
            Context.Stop(Self);
        });
    }

    public static Props Props(string shardId, string artifactRoot, int snapshotEvery = 50) =>
        Akka.Actor.Props.Create(() => new SupernetShard(shardId, artifactRoot, snapshotEvery));

    protected override int SnapshotEvery => _snapshotEvery;

    protected override IReadOnlyList<object> ApplyEvent(ISupernetShardEvent e)
    {
        _state.Apply(e);
        return [];
    }

    protected override object TakeSnapshot() => _state.ToSnapshot();

    protected override void RestoreSnapshot(object snapshot) => _state.Restore((SupernetShardSnapshot)snapshot);

    protected override void Send(object effect) { }

    protected override void OnRecovered()
    {
        var unloaded = _state.Unloaded;
        if (unloaded.Count == 0)
        {
            LogServing();
            return;
        }
        _busy = true;
        var root = _root;
        Task.Run(() => new Loaded(unloaded.Select(b => (b, BlockWeights.FromBytes(BlockFiles.Read(root, b.File)))).ToArray()))
            .PipeTo(Self);
    }

    /// <summary>Where a shard serves, and from which versions: an operator (and the cluster test) can tell a moved shard kept them.</summary>
    private void LogServing() =>
        Log.Info("{0}: serving on this node at versions {1}", PersistenceId,
            _state.Versions.Count == 0 ? "(none yet)" : string.Join(" ", _state.Versions.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}")));

    private void WhenIdle(Action handle)
    {
        if (_busy) Stash.Stash();
        else handle();
    }

    /// <summary>Writes the plan's files off the actor thread, then persists its events (see <see cref="Written"/>), then replies.</summary>
    private void Execute(ShardPlan plan, Action reply)
    {
        if (plan.Events.Count == 0)
        {
            reply();
            return;
        }
        _busy = true;
        var root = _root;
        Task.Run(() =>
        {
            foreach (var write in plan.Writes) BlockFiles.Write(root, write.File, write.Bytes);
            return new Written(plan, reply);
        }).PipeTo(Self);
    }

    private void Idle()
    {
        _busy = false;
        Stash.UnstashAll();
    }

    private sealed record Written(ShardPlan Plan, Action Reply);

    private sealed record Loaded(IReadOnlyList<(BlockRef Block, BlockWeights Weights)> Blocks);
}
