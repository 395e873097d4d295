using Akka.Actor;
using Akka.Cluster;
using NasActors.Engine.Trainers;

namespace NasActors.Node.Http;

/// <summary>
/// What the dashboard's cluster view knows beyond the journal, held by the node that serves it: Akka's membership,
/// this node's trainers, and the state trainer events put them in. Which events count is generic: <see cref="Track{T}"/>
/// maps any event-stream message to a trainer state (cooling down is mapped here; quarantine, when it exists, is one more line).
/// A listener actor records each event under a short lock; readers take copies.
/// </summary>
public sealed class LiveCluster
{
    public const int RecentEvents = 200;

    /// <summary>A trainer started by this node.</summary>
    public sealed record LocalTrainer(string TrainerId, string Device);

    /// <summary>What an event says about a trainer: its state, until when (null: until another event), and why.</summary>
    public sealed record TrainerState(string TrainerId, string State, DateTimeOffset? Until, string? Reason);

    private readonly ActorSystem _system;
    private readonly Func<DateTimeOffset> _now;
    private readonly Lock _gate = new();
    private readonly LinkedList<ClusterEventRow> _recent = new();
    private readonly Dictionary<string, TrainerState> _states = new();
    private readonly Dictionary<Type, Func<object, TrainerState>> _trackers = new();
    private long _lastId;

    public LiveCluster(ActorSystem system, IReadOnlyList<LocalTrainer> trainers, Func<DateTimeOffset>? now = null)
    {
        _system = system;
        _now = now ?? (() => DateTimeOffset.UtcNow);
        Trainers = trainers;
        Track<TrainerCoolingDown>(e => new TrainerState(e.TrainerId, "cooling-down", _now() + e.Cooldown,
            $"{e.ConsecutiveFailures} consecutive failures: {e.LastError}"));
        Track<TrainerWedged>(e => new TrainerState(e.TrainerId, "wedged", null, $"trial {e.TrialId} did not stop after its lease was lost"));
    }

    public IReadOnlyList<LocalTrainer> Trainers { get; }

    public string Self => Cluster.Get(_system).SelfAddress.ToString();

    /// <summary>Maps <typeparamref name="T"/>, published on the event stream, to a trainer state. Call before <see cref="Start"/>.</summary>
    public void Track<T>(Func<T, TrainerState> map) => _trackers[typeof(T)] = e => map((T)e);

    /// <summary>Starts the listener: membership (with the current members replayed as events) and the tracked types.</summary>
    public void Start() => _system.ActorOf(Props.Create(() => new Listener(this, _trackers.Keys.ToArray())), "dashboard-cluster-listener");

    public long LastEventId { get { lock (_gate) return _lastId; } }

    public IReadOnlyList<ClusterEventRow> EventsAfter(long id)
    {
        lock (_gate) return _recent.Where(e => e.Id > id).ToArray();
    }

    /// <summary>The tracked state of a trainer, while it lasts.</summary>
    public TrainerState? StateOf(string trainerId)
    {
        lock (_gate)
            return _states.TryGetValue(trainerId, out var s) && (s.Until is null || s.Until > _now()) ? s : null;
    }

    /// <summary>The view, with <paramref name="leases"/> (trainer → search and trial) from the journal.</summary>
    public ClusterView View(IReadOnlyDictionary<string, (string Search, int Trial)> leases)
    {
        var state = Cluster.Get(_system).State;
        var self = Self;
        var members = state.Members.Select(m => new MemberRow(m.Address.ToString(), m.Status.ToString(), m.Roles.Order().ToArray(),
            !state.Unreachable.Contains(m))).ToArray();
        var local = Trainers.Select(t => Row(t.TrainerId, self, t.Device, leases)).ToList();
        var remote = leases.Keys.Where(id => Trainers.All(t => t.TrainerId != id)).Order(StringComparer.Ordinal)
            .Select(id => Row(id, Incarnation(id), null, leases));
        var trainers = local.Concat(remote).ToArray();
        var nodes = trainers.GroupBy(t => t.Node).Select(g => new NodeUtilisation(g.Key, g.Key == self ? Trainers.Count : null,
            g.Count(t => t.State == "busy"), g.Count(t => t.State is not ("busy" or "idle")))).ToArray();
        return new ClusterView(self, state.Leader?.ToString(), members, trainers, nodes, EventsAfter(0).Reverse().Take(20).ToArray());
    }

    private LiveTrainerRow Row(string id, string node, string? device, IReadOnlyDictionary<string, (string Search, int Trial)> leases)
    {
        var tracked = StateOf(id);
        var leased = leases.TryGetValue(id, out var l) ? l : default((string, int)?);
        var state = tracked?.State ?? (leased is null ? "idle" : "busy");
        return new LiveTrainerRow(id, node, device, state, leased?.Item1, leased?.Item2, tracked?.Until, tracked?.Reason);
    }

    /// <summary>Trainer ids are <c>machine-pid-tN</c>: the part before the index names the process that runs it.</summary>
    private static string Incarnation(string trainerId) =>
        trainerId.LastIndexOf("-t", StringComparison.Ordinal) is > 0 and var cut ? trainerId[..cut] : trainerId;

    private void Record(string kind, string subject, string? detail, TrainerState? trainer = null)
    {
        lock (_gate)
        {
            if (trainer is not null) _states[trainer.TrainerId] = trainer;
            _recent.AddLast(new ClusterEventRow(++_lastId, kind, _now(), subject, detail));
            if (_recent.Count > RecentEvents) _recent.RemoveFirst();
        }
    }

    private void OnMessage(object message)
    {
        switch (message)
        {
            case ClusterEvent.IMemberEvent m:
                Record($"member-{m.Member.Status.ToString().ToLowerInvariant()}", m.Member.Address.ToString(), string.Join(",", m.Member.Roles.Order()));
                break;
            case ClusterEvent.UnreachableMember u:
                Record("member-unreachable", u.Member.Address.ToString(), null);
                break;
            case ClusterEvent.ReachableMember r:
                Record("member-reachable", r.Member.Address.ToString(), null);
                break;
            default:
                if (_trackers.TryGetValue(message.GetType(), out var map) && map(message) is { } trainer)
                    Record($"trainer-{trainer.State}", trainer.TrainerId, trainer.Reason, trainer);
                break;
        }
    }

    private sealed class Listener : ReceiveActor
    {
        private readonly Type[] _tracked;

        public Listener(LiveCluster live, Type[] tracked)
        {
            _tracked = tracked;
            ReceiveAny(live.OnMessage);
        }

        protected override void PreStart()
        {
            Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
            foreach (var type in _tracked) Context.System.EventStream.Subscribe(Self, type);
        }

        protected override void PostStop()
        {
            Cluster.Get(Context.System).Unsubscribe(Self);
            Context.System.EventStream.Unsubscribe(Self);
        }
    }
}
