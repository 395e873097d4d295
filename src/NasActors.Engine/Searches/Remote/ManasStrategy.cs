using System.Text.Json.Nodes;
using NasActors.Core.Specs;
using NasActors.Core.Strategies;
using NasActors.Core.Strategies.Manas;
using NasActors.Core.Trials;
using NasActors.Engine.Agents;
using NasActors.Engine.Entities;
using static NasActors.Engine.Agents.AgentProtocol;

namespace NasActors.Engine.Searches.Remote;

/// <summary>
/// MANAS as one agent entity per decision: the coordinator hands out tickets, gathers every agent's
/// pick for a ticket into a joint architecture, and broadcasts the trial's reward (the objective's
/// centred rank among recent results, as Core's ManasSearch computes it: <see cref="RewardRanks"/>) to all agents.
/// Partly gathered tickets are not persisted: after a restart the same tickets are asked for again,
/// and agents answer them from their journals.
/// </summary>
public sealed class ManasStrategy : RemoteStrategy
{
    public const string Owner = "manas";
    private readonly ChoiceGrid _grid;
    private readonly SortedDictionary<int, AgentPick?[]> _gathering = new();
    private readonly ManasOptions _options;
    private readonly RewardRanks _ranks;
    private int _nextTicket = 1;

    public ManasStrategy(SearchId searchId, SearchDefinition definition, SearchSpecData spec) : base(searchId, definition, spec)
    {
        _options = ManasOptions.Table.Bind(definition.Spec.Strategy);
        _grid = new ChoiceGrid(definition.Space, _options.GridPoints);
        _ranks = new RewardRanks(_options.RewardWindow);
    }

    public int Agents => _grid.Choices.Count;

    private AgentId Agent(int index) => new(SearchId, index);

    protected override IEnumerable<Outgoing> StartMessages()
    {
        return Enumerable.Range(0, Agents).Select(i => new Outgoing(EntityKind.Agent, new StartAgent(Agent(i),
            new AgentSetup(Definition.Space.Decisions[i].Name, _grid.Choices[i], _options.Gamma, Definition.Spec.Seed * 31 + i, _options.LearningRate))));
    }

    protected override IEnumerable<Outgoing> RefillMessages(int buffered)
    {
        while (buffered + _gathering.Count < Ahead) _gathering[_nextTicket++] = new AgentPick?[Agents];
        if (_gathering.Count == 0) return [];
        var tickets = _gathering.Keys.ToArray();
        return Enumerable.Range(0, Agents).Select(i => new Outgoing(EntityKind.Agent, new RequestPicks(Agent(i), tickets)));
    }

    /// <summary>Adds an agent's picks; returns the joint architectures now complete (to be persisted as proposals).</summary>
    public IReadOnlyList<Proposal> Gather(int agent, IReadOnlyList<AgentPick> picks)
    {
        var complete = new List<Proposal>();
        foreach (var pick in picks)
        {
            if (!_gathering.TryGetValue(pick.Ticket, out var joint)) continue;
            joint[agent] = pick;
            if (joint.Any(p => p is null)) continue;
            _gathering.Remove(pick.Ticket);
            var genotype = _grid.ToGenotype(joint.Select(p => p!.Choice).ToArray());
            complete.Add(new Proposal(pick.Ticket, genotype.Values.ToArray(), Definition.Spec.Seed * 1_000_003 + pick.Ticket));
        }
        return complete;
    }

    protected override void OnBuffered(IReadOnlyList<Proposal> proposals)
    {
        foreach (var p in proposals)
        {
            _gathering.Remove(p.Ticket);
            _nextTicket = Math.Max(_nextTicket, p.Ticket + 1);
        }
    }

    protected override IEnumerable<(string Owner, double? Value)> Outcomes(Buffered proposal, TrialOutcome outcome)
    {
        if (outcome is not TrialSucceeded succeeded)
            return Enumerable.Range(0, Agents).Select(i => (Agent(i).Value, (double?)null));
        var reward = _ranks.Reward(succeeded.Objective) - 0.5;
        var active = _grid.Active(_grid.ChoicesOf(Definition.Space.FromValues(proposal.Values)));
        return Enumerable.Range(0, Agents).Select(i => (Agent(i).Value, active[i] ? reward : (double?)null));
    }

    protected override Outgoing OutcomeMessage(string owner, int ticket, double? value) =>
        new(EntityKind.Agent, new ShareReward(AgentId.Parse(owner), ticket, value));

    protected override JsonNode SaveOwnState() => new JsonObject
    {
        ["recentObjectives"] = _ranks.Save(),
        // Partly gathered tickets are asked for again after a restore: number from the first of them.
        ["nextTicket"] = _gathering.Count > 0 ? _gathering.Keys.Min() : _nextTicket
    };

    protected override void RestoreOwnState(JsonNode state)
    {
        // Snapshots from before rank rewards hold no recent objectives: ranking starts afresh.
        _ranks.Restore(state["recentObjectives"]);
        _nextTicket = state["nextTicket"]!.GetValue<int>();
        _gathering.Clear();
    }
}
