using Akka.Actor;
using NasActors.Engine.Entities;
using static NasActors.Engine.Controllers.ControllerProtocol;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Engine.Controllers;

/// <summary>
/// A search's REINFORCE controller (persistent, sharded): holds the policy and the reward baseline,
/// samples architectures ahead of the trainers when the coordinator asks, and applies each reward as
/// it arrives. A restarted controller replays (or restores) to the same policy.
/// </summary>
public sealed class RlController : PersistentEntity<IControllerEvent>
{
    public const string PersistencePrefix = "controller";
    private readonly ControllerState _state;

    public RlController(string controllerId) : base($"{PersistencePrefix}-{controllerId}", TimeSpan.FromMinutes(2))
    {
        _state = new ControllerState(ControllerId.Parse(controllerId));
        Command<StartController>(start => PersistThen(_state.DecideStart(start.Setup), () => { }));
        Command<RequestSamples>(_ =>
        {
            var sender = Sender;
            PersistThen(_state.DecideSamples(), () =>
            {
                if (_state.Setup is not null) sender.Tell(new ProposalsOffered(_state.Id.Search, _state.Id.Value, _state.Outstanding));
            });
        });
        Command<ReportReward>(reward =>
        {
            var sender = Sender;
            PersistThen(_state.DecideReward(reward.Ticket, reward.Reward),
                () => sender.Tell(new OutcomesAcknowledged(_state.Id.Search, _state.Id.Value, [reward.Ticket])));
        });
        Command<GetPolicy>(_ => Sender.Tell(_state.View()));
    }

    public static Props Props(string controllerId) => Akka.Actor.Props.Create(() => new RlController(controllerId));

    protected override int SnapshotEvery => _state.SnapshotEvery;

    protected override IReadOnlyList<object> ApplyEvent(IControllerEvent e)
    {
        _state.Apply(e);
        return [];
    }

    protected override object TakeSnapshot() => _state.ToSnapshot();

    protected override void RestoreSnapshot(object snapshot) => _state.Restore((ControllerSnapshot)snapshot);

    protected override void Send(object effect) { }
}
