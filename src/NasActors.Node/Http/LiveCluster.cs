using Akka.Actor;
using Akka.Cluster;
using NasActors.Engine.Trainers;
using NasActors.Engine.Trainers.Roster;

namespace NasActors.Node.Http;

/// <summary>
/// What the dashboard's cluster view knows beyond the journal, held by the node that serves it: Akka's membership,
/// every trainer of every trainer node as its node's <see cref="TrainerRoster"/> reports it (the states and names of
/// <c>nas admin trainer list</c>: idle, training, reporting, abandoning, wedged, quarantined, drained), and the trainer
/// events this node saw. Where no roster answers (a node hosted without one, a node too slow to answer) the view falls
/// back on what it knows itself: this node's trainers, the journal's leases (training) and tracked events. Which events
/// count is generic: <see cref="Track{T}"/> maps any event-stream message to a trainer state. A listener actor records
/// each event under a short lock; readers take copies.
/// </summary>
public sealed class LiveCluster
{
    public const int RecentEvents = 200;

    /// <summary>How long the view waits for a node's roster: a page refresh should not hang on a slow node.</summary>
    private static readonly TimeSpan RosterTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Phases in which a trainer holds (or is still finishing) a trial.</summary>
    public static readonly string[] BusyStates = ["training", "reporting", "abandoning"];

    /// <summary>Phases in which a trainer takes no work.</summary>
    public static readonly string[] OutOfRotationStates = ["quarantined", "wedged", "drained"];

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
        Track<TrainerCoolingDown>(e => new TrainerState(e.TrainerId, "quarantined", _now() + e.Cooldown, e.Reason));
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

    /// <summary>
    /// The view: every trainer as its node's roster reports it (<paramref name="onlySelf"/>: this node's only), with
    /// <paramref name="leases"/> (trainer → search and trial, from the journal) for trainers no roster reported.
    /// </summary>
    public async Task<ClusterView> ViewAsync(IReadOnlyDictionary<string, (string Search, int Trial)> leases, bool onlySelf = false)
    {
        var (rosters, _) = await TrainerRosters.AskAsync(_system, new TrainerRosterProtocol.GetTrainers(), RosterTimeout,
            onlySelf ? Cluster.Get(_system).SelfAddress : null);
        return View(leases, rosters.SelectMany(r => r.Trainers).ToArray());
    }

    /// <summary>The view from the rosters' answers (<paramref name="rostered"/>) and the journal's <paramref name="leases"/>.</summary>
    public ClusterView View(IReadOnlyDictionary<string, (string Search, int Trial)> leases, IReadOnlyList<TrainerView> rostered)
    {
        var state = Cluster.Get(_system).State;
        var self = Self;
        var members = state.Members.Select(m => new MemberRow(m.Address.ToString(), m.Status.ToString(), m.Roles.Order().ToArray(),
            !state.Unreachable.Contains(m))).ToArray();
        var reported = rostered.Select(t => new LiveTrainerRow(t.TrainerId, t.Node, t.Device, t.Phase, t.SearchId, t.TrialId, t.QuarantinedUntil,
            t.QuarantineReason ?? (StateOf(t.TrainerId) is { } tracked && tracked.State == t.Phase ? tracked.Reason : null))).ToList();
        var known = reported.Select(t => t.Trainer).ToHashSet(StringComparer.Ordinal);
        var local = Trainers.Where(t => !known.Contains(t.TrainerId)).Select(t => Row(t.TrainerId, self, t.Device, leases));
        var remote = leases.Keys.Where(id => !known.Contains(id) && Trainers.All(t => t.TrainerId != id)).Order(StringComparer.Ordinal)
            .Select(id => Row(id, Incarnation(id), null, leases));
        var trainers = reported.Concat(local).Concat(remote).ToArray();
        var rosterNodes = rostered.Select(t => t.Node).ToHashSet(StringComparer.Ordinal);
        var nodes = trainers.GroupBy(t => t.Node).Select(g => new NodeUtilisation(g.Key,
            rosterNodes.Contains(g.Key) ? g.Count() : g.Key == self ? Trainers.Count : null,
            g.Count(t => BusyStates.Contains(t.State)), g.Count(t => OutOfRotationStates.Contains(t.State)))).ToArray();
        return new ClusterView(self, state.Leader?.ToString(), members, trainers, nodes, EventsAfter(0).Reverse().Take(20).ToArray());
    }

    /// <summary>A trainer no roster reported: its tracked event's state while it lasts, else training (the journal's lease) or idle.</summary>
    private LiveTrainerRow Row(string id, string node, string? device, IReadOnlyDictionary<string, (string Search, int Trial)> leases)
    {
        var tracked = StateOf(id);
        var leased = leases.TryGetValue(id, out var l) ? l : default((string, int)?);
        var state = tracked?.State ?? (leased is null ? "idle" : "training");
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
