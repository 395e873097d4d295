using Akka.Actor;
using NasActors.Engine.Entities;
using NasActors.Engine.Members;
using static NasActors.Engine.Islands.IslandProtocol;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Engine.Islands;

/// <summary>
/// One island of an evolution search (persistent, sharded): runs aging evolution over its members,
/// keeps up to K children in flight, records members in their own entities and sends its best
/// member to the next island every M evaluations. Thin: decisions live in <see cref="IslandState"/>.
/// The coordinator refills proposals ahead of the trainers, so no trial waits on an island.
/// </summary>
public sealed class IslandActor : PersistentEntity<IIslandEvent>
{
    public const string PersistencePrefix = "island";
    private readonly IslandState _state;
    private readonly IActorRef _members;
    private readonly IActorRef _islands;

    public IslandActor(string islandId, IActorRef members, IActorRef islands) : base($"{PersistencePrefix}-{islandId}", TimeSpan.FromMinutes(2))
    {
        _state = new IslandState(IslandId.Parse(islandId));
        _members = members;
        _islands = islands;
        Command<StartIsland>(start => PersistThen(_state.DecideStart(start.Setup), () => { }));
        Command<RequestChildren>(_ =>
        {
            var sender = Sender;
            PersistThen(_state.DecideChildren(), () =>
            {
                if (_state.Setup is not null) sender.Tell(new ProposalsOffered(_state.Id.Search, _state.Id.Value, _state.InFlight));
            });
        });
        Command<ReportChildOutcome>(outcome =>
        {
            var sender = Sender;
            PersistThen(_state.DecideOutcome(outcome.Ticket, outcome.Objective),
                () => sender.Tell(new OutcomesAcknowledged(_state.Id.Search, _state.Id.Value, [outcome.Ticket])));
        });
        Command<AcceptMigrant>(migrant => PersistThen(_state.DecideMigrant(migrant.Migrant), () => { }));
        Command<GetIsland>(_ => Sender.Tell(_state.View()));
    }

    public static Props Props(string islandId, IActorRef members, IActorRef islands) =>
        Akka.Actor.Props.Create(() => new IslandActor(islandId, members, islands));

    protected override int SnapshotEvery => _state.SnapshotEvery;

    protected override IReadOnlyList<object> ApplyEvent(IIslandEvent e) => _state.Apply(e);

    protected override object TakeSnapshot() => _state.ToSnapshot();

    protected override void RestoreSnapshot(object snapshot) => _state.Restore((IslandSnapshot)snapshot);

    // Members may have missed their records if we stopped right after persisting: re-send (they dedupe).
    protected override void OnRecovered()
    {
        foreach (var record in _state.LivingMembers()) _members.Tell(record);
    }

    protected override void Send(object effect)
    {
        switch (effect)
        {
            case IMemberMessage member: _members.Tell(member); break;
            case IIslandMessage island: _islands.Tell(island); break;
        }
    }
}
