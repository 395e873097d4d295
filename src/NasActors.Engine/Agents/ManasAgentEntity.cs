using Akka.Actor;
using NasActors.Engine.Entities;
using static NasActors.Engine.Agents.AgentProtocol;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Engine.Agents;

/// <summary>
/// One MANAS agent (persistent, sharded), one per decision group (e.g. an NB201 edge): picks its
/// choice for the tickets the coordinator gathers into joint architectures, and learns from the
/// reward all agents share. Each agent persists its own distribution.
/// </summary>
public sealed class ManasAgentEntity : PersistentEntity<IAgentEvent>
{
    public const string PersistencePrefix = "agent";
    private readonly AgentState _state;

    public ManasAgentEntity(string agentId) : base($"{PersistencePrefix}-{agentId}", TimeSpan.FromMinutes(2))
    {
        _state = new AgentState(AgentId.Parse(agentId));
        Command<StartAgent>(start => PersistThen(_state.DecideStart(start.Setup), () => { }));
        Command<RequestPicks>(request =>
        {
            var sender = Sender;
            PersistThen(_state.DecidePicks(request.Tickets), () =>
            {
                if (_state.Setup is not null) sender.Tell(new PicksOffered(_state.Id.Search, _state.Id.Index, _state.PicksFor(request.Tickets)));
            });
        });
        Command<ShareReward>(reward =>
        {
            var sender = Sender;
            PersistThen(_state.DecideReward(reward.Ticket, reward.Reward),
                () => sender.Tell(new OutcomesAcknowledged(_state.Id.Search, _state.Id.Value, [reward.Ticket])));
        });
        Command<GetAgent>(_ => Sender.Tell(_state.View()));
    }

    public static Props Props(string agentId) => Akka.Actor.Props.Create(() => new ManasAgentEntity(agentId));

    protected override IReadOnlyList<object> ApplyEvent(IAgentEvent e)
    {
        _state.Apply(e);
        return [];
    }

    protected override object TakeSnapshot() => _state.ToSnapshot();

    protected override void RestoreSnapshot(object snapshot) => _state.Restore((AgentSnapshot)snapshot);

    protected override void Send(object effect) { }
}
