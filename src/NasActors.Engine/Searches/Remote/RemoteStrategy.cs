using System.Text.Json.Nodes;
using NasActors.Core.Specs;
using NasActors.Core.Strategies;
using NasActors.Core.Strategies.Manas;
using NasActors.Core.Strategies.Reinforcement;
using NasActors.Core.Trials;
using NasActors.Engine.Entities;

namespace NasActors.Engine.Searches.Remote;

/// <summary>
/// The coordinator's side of a strategy that runs as entities. An <see cref="ISearchStrategy"/> over
/// a buffer: <see cref="Ask"/> pops a buffered proposal (or answers "nothing yet" and asks the
/// entities for more), <see cref="Tell"/> forwards the outcome to the entity that proposed it
/// (fire-and-forget, re-sent until acknowledged). Proposals enter the buffer only through the
/// coordinator's <c>ProposalsBuffered</c> events, so replay rebuilds the buffer and adopts each
/// recorded trial from it (<see cref="IAdoptsRecordedProposals"/>) without asking any entity.
/// Messages for entities collect in an outbox the coordinator drains after each command.
/// </summary>
public abstract class RemoteStrategy : ISearchStrategy, IAdoptsRecordedProposals
{
    /// <summary>Unacknowledged outcomes are re-sent every this many coordinator ticks (about seconds).</summary>
    private const int ResendEveryTicks = 5;
    private readonly List<Buffered> _buffer = [];
    private readonly SortedDictionary<int, Buffered> _pending = new();
    private readonly HashSet<int> _told = [];
    private readonly HashSet<(string Owner, int Ticket)> _known = [];
    private readonly Dictionary<(string Owner, int Ticket), double?> _unacknowledged = new();
    private readonly List<Outgoing> _outbox = [];
    private bool _refillAsked;
    private int _ticks;

    protected RemoteStrategy(SearchId searchId, SearchDefinition definition, SearchSpecData spec)
    {
        SearchId = searchId;
        Definition = definition;
        Spec = spec;
    }

    public SearchId SearchId { get; }
    public SearchDefinition Definition { get; }
    public SearchSpecData Spec { get; }

    /// <summary>Proposals kept buffered ahead of the trainers.</summary>
    protected int Ahead => Definition.Spec.Execution.ProposalsAhead;

    public int BufferedCount => _buffer.Count;
    public IReadOnlyCollection<int> Pending => _pending.Keys;
    public int Unacknowledged => _unacknowledged.Count;

    /// <summary>The remote strategy a spec with <c>execution.entities: true</c> runs.</summary>
    public static RemoteStrategy For(SearchId searchId, SearchDefinition definition, SearchSpecData spec) => definition.Spec.Strategy.Name switch
    {
        RegularizedEvolution.Name => new IslandStrategy(searchId, definition, spec),
        ReinforceSearch.Name => new ControllerStrategy(searchId, definition, spec),
        ManasSearch.Name => new ManasStrategy(searchId, definition, spec),
        var other => throw new InvalidOperationException($"strategy '{other}' cannot run as entities")
    };

    // ---- ISearchStrategy -------------------------------------------------------------

    public TrialRequest? Ask(int trialId)
    {
        if (_pending.ContainsKey(trialId) || _told.Contains(trialId))
            throw new InvalidOperationException($"trial {trialId} was already asked for");
        if (_buffer.Count == 0)
        {
            Refill();
            return null;
        }
        var next = _buffer[0];
        _buffer.RemoveAt(0);
        _pending[trialId] = next;
        if (_buffer.Count < Ahead) Refill();
        return new TrialRequest(trialId, Definition.Space.FromValues(next.Values), new Fidelity(Definition.Spec.Training.Epochs), next.Seed);
    }

    public void Adopt(TrialRequest trial)
    {
        var at = _buffer.FindIndex(b => b.Values.SequenceEqual(trial.Genotype.Values));
        if (at < 0)
            throw new InvalidOperationException($"search {SearchId}: trial {trial.TrialId} is not among the buffered proposals; the journal is inconsistent");
        _pending[trial.TrialId] = _buffer[at];
        _buffer.RemoveAt(at);
    }

    public void Tell(TrialOutcome outcome)
    {
        if (!_pending.Remove(outcome.TrialId, out var proposal)) return;
        _told.Add(outcome.TrialId);
        foreach (var (owner, value) in Outcomes(proposal, outcome))
        {
            _unacknowledged[(owner, proposal.Ticket)] = value;
            _outbox.Add(OutcomeMessage(owner, proposal.Ticket, value));
        }
        // The entity has room for another proposal now.
        _refillAsked = false;
        if (_buffer.Count < Ahead) Refill();
    }

    // ---- the coordinator's hooks -----------------------------------------------------

    /// <summary>The offered proposals not seen before: what the coordinator persists.</summary>
    public IReadOnlyList<Proposal> Unknown(string owner, IReadOnlyList<Proposal> offered) =>
        offered.Where(p => !_known.Contains((owner, p.Ticket))).ToArray();

    /// <summary>Applies a <c>ProposalsBuffered</c> event.</summary>
    public void Buffer(string owner, IReadOnlyList<Proposal> proposals)
    {
        foreach (var p in proposals)
            if (_known.Add((owner, p.Ticket)))
                _buffer.Add(new Buffered(owner, p.Ticket, p.Values, p.Seed));
        OnBuffered(proposals);
    }

    /// <summary>An entity answered a refill: another may be asked for.</summary>
    public void Answered() => _refillAsked = false;

    public void Acknowledge(string owner, IEnumerable<int> tickets)
    {
        foreach (var t in tickets) _unacknowledged.Remove((owner, t));
    }

    /// <summary>
    /// After start or recovery: (re)start the entities, re-send every outcome they may have missed
    /// (they ignore those they have) and refill. Drops what replay queued, which this supersedes.
    /// </summary>
    public void Wake()
    {
        _outbox.Clear();
        _outbox.AddRange(StartMessages());
        foreach (var ((owner, ticket), value) in _unacknowledged) _outbox.Add(OutcomeMessage(owner, ticket, value));
        _refillAsked = false;
        Refill();
    }

    /// <summary>Periodic: re-send unacknowledged outcomes and retry a refill whose answer was lost.</summary>
    public void Tick()
    {
        if (++_ticks % ResendEveryTicks != 0) return;
        foreach (var ((owner, ticket), value) in _unacknowledged) _outbox.Add(OutcomeMessage(owner, ticket, value));
        _refillAsked = false;
        if (_buffer.Count < Ahead) Refill();
    }

    public IReadOnlyList<Outgoing> Drain()
    {
        var messages = _outbox.ToArray();
        _outbox.Clear();
        return messages;
    }

    private void Refill()
    {
        if (_refillAsked) return;
        _refillAsked = true;
        _outbox.AddRange(RefillMessages(_buffer.Count));
    }

    // ---- what differs per entity kind ------------------------------------------------

    protected abstract IEnumerable<Outgoing> StartMessages();

    protected abstract IEnumerable<Outgoing> RefillMessages(int buffered);

    /// <summary>Who learns from an outcome, and what (null: a failure, or nothing to learn).</summary>
    protected abstract IEnumerable<(string Owner, double? Value)> Outcomes(Buffered proposal, TrialOutcome outcome);

    protected abstract Outgoing OutcomeMessage(string owner, int ticket, double? value);

    protected virtual void OnBuffered(IReadOnlyList<Proposal> proposals) { }

    protected virtual JsonNode SaveOwnState() => new JsonObject();

    protected virtual void RestoreOwnState(JsonNode state) { }

    // ---- snapshots -------------------------------------------------------------------

    public string SaveState() => new JsonObject
    {
        ["buffer"] = new JsonArray(_buffer.Select(b => b.ToJson()).ToArray()),
        ["pending"] = new JsonArray(_pending.Select(kv => (JsonNode)new JsonObject { ["trial"] = kv.Key, ["proposal"] = kv.Value.ToJson() }).ToArray()),
        ["told"] = new JsonArray(_told.Order().Select(t => (JsonNode)t).ToArray()),
        ["known"] = new JsonArray(_known.OrderBy(k => k.Owner, StringComparer.Ordinal).ThenBy(k => k.Ticket)
            .Select(k => (JsonNode)new JsonObject { ["owner"] = k.Owner, ["ticket"] = k.Ticket }).ToArray()),
        ["unacknowledged"] = new JsonArray(_unacknowledged.OrderBy(k => k.Key.Owner, StringComparer.Ordinal).ThenBy(k => k.Key.Ticket)
            .Select(k => (JsonNode)new JsonObject { ["owner"] = k.Key.Owner, ["ticket"] = k.Key.Ticket, ["value"] = k.Value }).ToArray()),
        ["own"] = SaveOwnState()
    }.ToJsonString();

    public void RestoreState(string state)
    {
        var root = JsonNode.Parse(state)!;
        _buffer.Clear();
        _buffer.AddRange(root["buffer"]!.AsArray().Select(n => Buffered.FromJson(n!)));
        _pending.Clear();
        foreach (var p in root["pending"]!.AsArray()) _pending[p!["trial"]!.GetValue<int>()] = Buffered.FromJson(p["proposal"]!);
        _told.Clear();
        foreach (var t in root["told"]!.AsArray()) _told.Add(t!.GetValue<int>());
        _known.Clear();
        foreach (var k in root["known"]!.AsArray()) _known.Add((k!["owner"]!.GetValue<string>(), k["ticket"]!.GetValue<int>()));
        _unacknowledged.Clear();
        foreach (var u in root["unacknowledged"]!.AsArray())
            _unacknowledged[(u!["owner"]!.GetValue<string>(), u["ticket"]!.GetValue<int>())] = u["value"]?.GetValue<double>();
        RestoreOwnState(root["own"]!);
    }

    /// <summary>A buffered or pending proposal and the entity it came from.</summary>
    protected sealed record Buffered(string Owner, int Ticket, double[] Values, long Seed)
    {
        public JsonNode ToJson() => new JsonObject
        {
            ["owner"] = Owner, ["ticket"] = Ticket, ["seed"] = Seed,
            ["values"] = new JsonArray(Values.Select(v => (JsonNode)v).ToArray())
        };

        public static Buffered FromJson(JsonNode n) => new(
            n["owner"]!.GetValue<string>(), n["ticket"]!.GetValue<int>(),
            n["values"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray(), n["seed"]!.GetValue<long>());
    }
}
