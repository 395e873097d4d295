using Akka.Actor;
using Akka.Event;
using NasActors.Engine.Entities;
using static NasActors.Engine.Trainers.Roster.TrainerRosterEvents;
using static NasActors.Engine.Trainers.Roster.TrainerRosterProtocol;

namespace NasActors.Engine.Trainers.Roster;

/// <summary>
/// The trainers of one node (<c>/user/trainers</c>), and the durable record of which are quarantined. A trainer with
/// K infrastructure faults in a row quarantines itself for its cool-down (<see cref="TrainerCoolingDown"/> on the event
/// stream); the roster journals it, so a restarted node starts that slot quarantined for what is left of it. An
/// operator quarantines (until released) or releases a trainer through the roster. A trial that died with the node's
/// process (its trainer's <see cref="InFlightMarker"/> left behind) is journaled as a fault of its slot when the roster
/// starts again, and the slot's new trainer starts with those faults counted. Slots are keyed by position (t0, t1…) and
/// device, which survive a restart; trainer ids carry the process id and do not.
/// </summary>
public sealed class TrainerRoster : PersistentEntity<ITrainerRosterEvent>, IWithTimers
{
    public const string Name = "trainers";
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(10);
    private readonly string _node;
    private readonly IReadOnlyList<TrainerSettings> _settings;
    private readonly Func<TrainerSettings, Props> _props;
    private readonly Func<DateTimeOffset> _clock;
    private readonly Dictionary<string, TrainerQuarantined> _quarantined = new();
    private readonly Dictionary<string, List<TrialDiedWithProcess>> _died = new();
    private readonly Dictionary<string, (IActorRef Trainer, TrainerSettings Settings)> _slots = new();

    /// <param name="node">the node's address, shown with each trainer</param>
    /// <param name="nodeKey">stable name of the node (host and port) for the journal</param>
    /// <param name="trainers">one per slot, in slot order</param>
    /// <param name="props">builds a trainer from its settings</param>
    public TrainerRoster(string node, string nodeKey, IReadOnlyList<TrainerSettings> trainers, Func<TrainerSettings, Props> props, Func<DateTimeOffset>? clock = null)
        : base($"trainer-roster-{nodeKey}", TimeSpan.FromDays(3650))
    {
        _node = node;
        _settings = trainers;
        _props = props;
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
        Command<TrainerCoolingDown>(cooling =>
        {
            if (SlotOf(cooling.TrainerId) is not { } slot) return;
            var until = _clock() + cooling.Cooldown;
            PersistThen([new TrainerQuarantined(slot, cooling.Device, until,
                cooling.Reason, "automatic")], () => ReleaseAt(slot, until));
        });
        Command<ReleaseDue>(due =>
        {
            if (_quarantined.TryGetValue(due.Slot, out var q) && q.Until is { } until && until <= _clock())
                PersistThen([new TrainerReleased(due.Slot, "cool-down over")], () => _slots[due.Slot].Trainer.Tell(new ReleaseTrainer()));
        });
        Command<TrainerFaultsCleared>(cleared =>
        {
            if (SlotOf(cleared.TrainerId) is { } slot && _died.ContainsKey(slot)) PersistThen([new SlotFaultsCleared(slot)], () => { });
        });
        Command<GetTrainers>(_ => ReplyWithViews(_slots.Keys.ToArray(), Sender));
        Command<QuarantineTrainer>(Quarantine);
        Command<DrainTrainers>(Drain);
        Command<ReplyViews>(reply => ReplyWithViews(reply.Slots, reply.To));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string node, string nodeKey, IReadOnlyList<TrainerSettings> trainers, Func<TrainerSettings, Props> props,
        Func<DateTimeOffset>? clock = null) =>
        Akka.Actor.Props.Create(() => new TrainerRoster(node, nodeKey, trainers, props, clock));

    /// <summary>
    /// The roster under a back-off supervisor (created as <see cref="Name"/>; messages to it reach the roster): a recovery
    /// that fails or times out (a journal still starting, a shared database several nodes initialise at once) or a
    /// failed write stops the roster and its trainers, and the supervisor starts them again after 1–30 s.
    /// </summary>
    public static Props Supervised(string node, string nodeKey, IReadOnlyList<TrainerSettings> trainers, Func<TrainerSettings, Props> props) =>
        Akka.Pattern.BackoffSupervisor.Props(Props(node, nodeKey, trainers, props), "roster", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2);

    public static string SlotName(int index) => $"t{index}";

    private sealed record ReleaseDue(string Slot);

    protected override void OnRecovered()
    {
        Context.System.EventStream.Subscribe(Self, typeof(TrainerCoolingDown));
        Context.System.EventStream.Subscribe(Self, typeof(TrainerFaultsCleared));
        // Markers left behind: those trials died with the previous process. Journaled before the trainers start (commands
        // wait meanwhile), then removed, so each death counts once.
        var deaths = _settings.Select((s, i) => new InFlightMarker(s.InFlightMarker).LeftBehind() is { } what
            ? new TrialDiedWithProcess(SlotName(i), s.Device, $"{what} died with the node's process") : null).OfType<TrialDiedWithProcess>().ToArray();
        foreach (var death in deaths) Log.Warning("trainer slot {0} ({1}): {2}", death.Slot, death.Device, death.What);
        PersistThen(deaths, () =>
        {
            foreach (var s in _settings) new InFlightMarker(s.InFlightMarker).Delete();
            StartTrainers();
        });
    }

    private void StartTrainers()
    {
        var now = _clock();
        for (var i = 0; i < _settings.Count; i++)
        {
            var slot = SlotName(i);
            var settings = _settings[i];
            if (_died.TryGetValue(slot, out var died) && died[^1].Device == settings.Device)
                settings = settings with { PriorFaults = died.Count, PriorFault = died[^1].What };
            if (_quarantined.TryGetValue(slot, out var q) && q.Device == settings.Device)
            {
                // Quarantined before the restart: the rest of the cool-down, or until released.
                settings = settings with { QuarantinedFor = q.Until is { } until ? Max(until - now, TimeSpan.Zero) : Timeout.InfiniteTimeSpan };
                if (q.Until is { } end) ReleaseAt(slot, end);
                Log.Info("trainer slot {0} ({1}) is quarantined ({2}) until {3}", slot, q.Device, q.Reason, q.Until?.ToString("O") ?? "released");
            }
            _slots[slot] = (Context.ActorOf(_props(settings), $"trainer-{i}"), settings);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private void ReleaseAt(string slot, DateTimeOffset until) =>
        Timers.StartSingleTimer($"release-{slot}", new ReleaseDue(slot), Max(until - _clock(), TimeSpan.Zero));

    private void Quarantine(QuarantineTrainer command)
    {
        var sender = Sender;
        if (SlotOf(command.TrainerId) is not { } slot)
        {
            sender.Tell(new TrainersView(_node, []));
            return;
        }
        var (trainer, settings) = _slots[slot];
        Log.Warning("admin: {0} {1} trainer {2} ({3})", command.By, command.Release ? "released" : "quarantined", command.TrainerId, settings.Device);
        if (command.Release)
        {
            IReadOnlyList<ITrainerRosterEvent> events = _quarantined.ContainsKey(slot) ? [new TrainerReleased(slot, command.By)] : [];
            PersistThen(events, () => AskThenView(trainer, new ReleaseTrainer(), slot, sender));
        }
        else
            PersistThen([new TrainerQuarantined(slot, settings.Device, null, $"quarantined by {command.By}", command.By)],
                () => AskThenView(trainer, new QuarantineTrainerNow(Timeout.InfiniteTimeSpan), slot, sender));
    }

    private void AskThenView(IActorRef trainer, object command, string slot, IActorRef sender)
    {
        var record = _quarantined.GetValueOrDefault(slot);
        trainer.Ask<TrainerState>(command, AskTimeout)
            .PipeTo(sender, success: state => new TrainersView(_node, [ViewOf(state, record)]));
    }

    private void Drain(DrainTrainers command)
    {
        var sender = Sender;
        var slots = command.TrainerId is null ? _slots.Keys.ToArray() : SlotOf(command.TrainerId) is { } one ? [one] : [];
        if (slots.Length > 0) Log.Warning("admin: {0} drains {1}", command.By, command.TrainerId ?? $"every trainer of {_node}");
        var drains = slots.Select(s => _slots[s].Trainer.Ask<TrainerDrained>(new DrainTrainer(), DrainTimeout)).ToArray();
        if (command.Wait) Task.WhenAll(drains).PipeTo(Self, sender, success: _ => new ReplyViews(slots, sender));
        else ReplyWithViews(slots, sender);
    }

    /// <summary>The trainers of a drain that waited are drained: answer with their views.</summary>
    private sealed record ReplyViews(string[] Slots, IActorRef To);

    /// <summary>Asks each trainer for its state off the actor thread; the quarantine records are copied first.</summary>
    private void ReplyWithViews(IReadOnlyList<string> slots, IActorRef to)
    {
        var asks = slots.Select(s => (Record: _quarantined.GetValueOrDefault(s), State: _slots[s].Trainer.Ask<TrainerState>(new GetTrainerState(), AskTimeout))).ToArray();
        var node = _node;
        Task.WhenAll(asks.Select(a => a.State)).PipeTo(to,
            success: _ => new TrainersView(node, asks.Select(a => ViewOf(a.State.Result, a.Record)).ToArray()));
    }

    private TrainerView ViewOf(TrainerState s, TrainerQuarantined? record) => new(_node, s.TrainerId, s.Device, s.Phase.ToString().ToLowerInvariant(),
        s.SearchId, s.TrialId, s.Progress?.Epoch, s.ConsecutiveFailures, s.Failures,
        s.Phase == TrainerPhase.Quarantined ? record?.Reason ?? s.QuarantineReason : s.QuarantineReason,
        s.Phase == TrainerPhase.Quarantined ? record?.Until : null);

    private string? SlotOf(string trainerId) => _slots.FirstOrDefault(kv => kv.Value.Settings.TrainerId == trainerId).Key;

    protected override IReadOnlyList<object> ApplyEvent(ITrainerRosterEvent e)
    {
        switch (e)
        {
            case TrainerQuarantined q:
                _quarantined[q.Slot] = q;
                _died.Remove(q.Slot); // a quarantine starts the count afresh, as the trainer's does
                break;
            case TrainerReleased r:
                _quarantined.Remove(r.Slot);
                break;
            case TrialDiedWithProcess d:
                if (!_died.TryGetValue(d.Slot, out var list)) _died[d.Slot] = list = [];
                list.Add(d);
                break;
            case SlotFaultsCleared c:
                _died.Remove(c.Slot);
                break;
        }
        return [];
    }

    protected override object TakeSnapshot() => new TrainerRosterSnapshot(_quarantined.Values.ToArray(), _died.Values.SelectMany(d => d).ToArray());

    protected override void RestoreSnapshot(object snapshot)
    {
        var s = (TrainerRosterSnapshot)snapshot;
        foreach (var q in s.Quarantined) _quarantined[q.Slot] = q;
        foreach (var d in s.DiedWithProcess ?? []) ApplyEvent(d);
    }

    protected override void Send(object effect) { }
}
