using System.Text.Json.Nodes;
using Akka.Actor;
using NasActors.Core.Spaces;
using NasActors.Core.Strategies.Manas;
using NasActors.Core.Strategies.OneShot;
using NasActors.Engine.Agents;
using NasActors.Engine.Searches;
using static NasActors.Engine.Agents.AgentProtocol;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Engine.Supernets;

/// <summary>
/// Weight-sharing MANAS' side of the supernet driver (<see cref="SupernetRun"/>'s child): one persistent
/// <see cref="ManasAgentEntity"/> per decision (NB201 edge), started with a seed from the spec. The round number is the
/// agents' ticket: round r's path is the agents' picks for ticket r (a ticket asked again gets the same pick, so a re-run
/// round trains the same path), and the round's reward is shared with every agent once (an agent learns once per ticket).
/// </summary>
public sealed class RoundAgents : ReceiveActor, IWithTimers
{
    /// <summary>Round <paramref name="Round"/>'s path is wanted: answered <see cref="RoundPath"/> when every agent has picked.</summary>
    public sealed record PathWanted(int Round);

    public sealed record RoundPath(int Round, IReadOnlyList<double> Path);

    /// <summary>Share round <paramref name="Round"/>'s reward (null: learn nothing) with every agent.</summary>
    public sealed record Rewarded(int Round, double? Reward);

    /// <summary>Answered <see cref="AgentsViewed"/>, one view per agent in decision order.</summary>
    public sealed record ViewAgents;

    public sealed record AgentsViewed(IReadOnlyList<AgentView> Views);

    private readonly SearchId _search;
    private readonly IActorRef _agents;
    private readonly int _count;
    private readonly TimeSpan _replyTimeout;
    private readonly Dictionary<int, int?[]> _picking = new();
    private AgentView?[]? _views;

    public RoundAgents(SearchId search, SearchSpace space, ManasSupernetOptions options, long seed, IActorRef agents, TimeSpan replyTimeout)
    {
        (_search, _agents, _count, _replyTimeout) = (search, agents, space.Decisions.Count, replyTimeout);
        for (var i = 0; i < _count; i++)
        {
            var choices = space.Decisions[i] is CategoricalDecision c
                ? c.Options.Count
                : throw new ArgumentException($"weight-sharing MANAS needs categorical decisions; '{space.Decisions[i].Name}' is not one");
            // Idempotent: a restarted driver's start is a no-op on an agent that recovered its journal.
            _agents.Tell(new StartAgent(Agent(i), new AgentSetup(space.Decisions[i].Name, choices, options.Gamma, unchecked(seed * 31 + i), options.AgentLearningRate)));
        }

        Receive<PathWanted>(wanted =>
        {
            if (_picking.ContainsKey(wanted.Round)) return;
            _picking[wanted.Round] = new int?[_count];
            AskPicks(wanted.Round);
            Timers.StartPeriodicTimer(AskAgain.Instance, AskAgain.Instance, _replyTimeout);
        });
        Receive<PicksOffered>(offered =>
        {
            foreach (var pick in offered.Picks)
                if (_picking.TryGetValue(pick.Ticket, out var choices) && offered.Agent < _count) choices[offered.Agent] = pick.Choice;
            foreach (var (round, choices) in _picking.Where(p => p.Value.All(c => c is not null)).ToArray())
            {
                _picking.Remove(round);
                Context.Parent.Tell(new RoundPath(round, choices.Select(c => (double)c!.Value).ToArray()));
            }
            if (_picking.Count == 0) Timers.Cancel(AskAgain.Instance);
        });
        // An agent's entity moved or its node died: a pick asked again is answered from its journal.
        Receive<AskAgain>(_ =>
        {
            foreach (var round in _picking.Keys) AskPicks(round);
        });
        Receive<Rewarded>(rewarded =>
        {
            for (var i = 0; i < _count; i++) _agents.Tell(new ShareReward(Agent(i), rewarded.Round, rewarded.Reward));
        });
        Receive<OutcomesAcknowledged>(_ => { });
        Receive<ViewAgents>(_ =>
        {
            _views = new AgentView?[_count];
            for (var i = 0; i < _count; i++) _agents.Tell(new GetAgent(Agent(i)));
        });
        Receive<AgentView>(view =>
        {
            if (_views is null || view.AgentId.Index >= _count) return;
            _views[view.AgentId.Index] = view;
            if (_views.Any(v => v is null)) return;
            Context.Parent.Tell(new AgentsViewed(_views!));
            _views = null;
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(SearchId search, SearchSpace space, ManasSupernetOptions options, long seed, IActorRef agents, TimeSpan? replyTimeout = null) =>
        Akka.Actor.Props.Create(() => new RoundAgents(search, space, options, seed, agents, replyTimeout ?? SupernetWorker.DefaultReplyTimeout));

    /// <summary>Each agent's distribution over its choices (EXP3's, exploration included), in decision order.</summary>
    public static IReadOnlyList<IReadOnlyList<double>> Probabilities(IReadOnlyList<AgentView> views) =>
        views.Select(v => (IReadOnlyList<double>)ManasAgent.Restore(JsonNode.Parse(v.AgentState
            ?? throw new InvalidOperationException($"MANAS agent {v.AgentId} was never started"))!).Probabilities()).ToArray();

    private void AskPicks(int round)
    {
        for (var i = 0; i < _count; i++)
            if (_picking[round][i] is null) _agents.Tell(new RequestPicks(Agent(i), [round]));
    }

    private AgentId Agent(int index) => new(_search, index);

    private sealed class AskAgain
    {
        public static readonly AskAgain Instance = new();
    }
}
