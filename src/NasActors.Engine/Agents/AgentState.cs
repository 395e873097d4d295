using System.Text.Json.Nodes;
using NasActors.Core.Randomness;
using NasActors.Engine.Searches;
using static NasActors.Engine.Agents.AgentEvents;
using CoreAgent = NasActors.Core.Strategies.Manas.ManasAgent;

namespace NasActors.Engine.Agents;

/// <summary>
/// A MANAS agent with no actor around it: Core's EXP3 <see cref="CoreAgent"/> plus which tickets it
/// picked for (with the probability it had) and which it has learned from. Each pick draws from a
/// random stream seeded by (agent seed, ticket), so a pick needs no persisted generator state and a
/// ticket asked for twice is answered from the journal.
/// </summary>
public sealed class AgentState(AgentId id)
{
    private readonly SortedDictionary<int, ChoicePicked> _awaiting = new();
    private readonly SortedSet<int> _rewarded = [];
    private CoreAgent? _agent;

    public AgentId Id { get; } = id;
    public AgentSetup? Setup { get; private set; }
    public CoreAgent? Agent => _agent;

    public IReadOnlyList<IAgentEvent> DecideStart(AgentSetup setup) => Setup is null ? [new AgentStarted(setup)] : [];

    public IReadOnlyList<IAgentEvent> DecidePicks(IEnumerable<int> tickets)
    {
        if (_agent is null) return [];
        var events = new List<IAgentEvent>();
        foreach (var ticket in tickets.Distinct().Order())
        {
            if (_awaiting.ContainsKey(ticket) || _rewarded.Contains(ticket)) continue;
            var (choice, probability) = _agent.Act(new SeededRandom(PickSeed(Setup!.Seed, ticket)));
            events.Add(new ChoicePicked(ticket, choice, probability));
        }
        return events;
    }

    public IReadOnlyList<AgentPick> PicksFor(IEnumerable<int> tickets) =>
        tickets.Where(_awaiting.ContainsKey).Select(t => new AgentPick(t, _awaiting[t].Choice, _awaiting[t].Probability)).ToArray();

    public IReadOnlyList<IAgentEvent> DecideReward(int ticket, double? reward) =>
        _awaiting.ContainsKey(ticket) ? [new RewardLearned(ticket, reward)] : [];

    public void Apply(IAgentEvent e)
    {
        switch (e)
        {
            case AgentStarted started:
                Setup = started.Setup;
                _agent = new CoreAgent(started.Setup.Decision, started.Setup.Choices, started.Setup.Gamma, started.Setup.LearningRate);
                break;
            case ChoicePicked picked:
                _awaiting[picked.Ticket] = picked;
                break;
            case RewardLearned learned:
                _awaiting.Remove(learned.Ticket, out var pick);
                _rewarded.Add(learned.Ticket);
                if (learned.Reward is { } reward) _agent!.Learn(pick!.Choice, pick.Probability, reward);
                break;
            default:
                throw new ArgumentException($"unknown agent event {e.GetType().Name}");
        }
    }

    private static long PickSeed(long seed, int ticket) => unchecked(seed * 6364136223846793005L + ticket * 1442695040888963407L);

    public AgentView View() => new(Id, Setup?.Decision, _agent?.Updates ?? 0, _agent?.Best ?? 0, _agent?.LogWeights ?? [],
        _awaiting.Keys.ToArray(), _agent?.Save().ToJsonString());

    public AgentSnapshot ToSnapshot() => new(Setup!, _agent!.Save().ToJsonString(), _awaiting.Values.ToArray(), _rewarded.ToArray());

    public void Restore(AgentSnapshot snapshot)
    {
        Setup = snapshot.Setup;
        _agent = CoreAgent.Restore(JsonNode.Parse(snapshot.Agent)!);
        foreach (var pick in snapshot.Awaiting) _awaiting[pick.Ticket] = pick;
        foreach (var ticket in snapshot.Rewarded) _rewarded.Add(ticket);
    }
}
