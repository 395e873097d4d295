using System.Text.Json;
using System.Text.Json.Nodes;
using NasActors.Core.Randomness;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies;

/// <summary>
/// Book-keeping every strategy shares: the random stream, the pending trials, ignoring
/// duplicate or unknown outcomes, and the parts of the snapshot that are not strategy-specific.
/// Subclasses decide what to propose and what to learn from an outcome.
/// </summary>
public abstract class StrategyBase : ISearchStrategy, IAdoptsRecordedProposals, IAcceptsFixedProposals
{
    private const int FeasibleSampleAttempts = 1000;
    private readonly SortedDictionary<int, TrialRequest> _pending = new();
    private readonly HashSet<int> _told = [];
    private long? _continuation;

    protected StrategyBase(StrategyContext context)
    {
        Context = context;
        Random = new SeededRandom(context.Seed);
    }

    protected StrategyContext Context { get; }
    protected SearchSpace Space => Context.Space;
    protected SeededRandom Random { get; private set; }

    public IReadOnlyCollection<int> Pending => _pending.Keys;

    protected IEnumerable<TrialRequest> PendingTrials => _pending.Values;

    public TrialRequest? Ask(int trialId)
    {
        if (_pending.ContainsKey(trialId) || _told.Contains(trialId))
            throw new InvalidOperationException($"trial {trialId} was already asked for");
        if (ProposeTrial(trialId) is not { } proposal) return null;
        // The fresh seed is drawn even for a continuation, so the random stream does not depend on it.
        var seed = Random.NextSeed();
        var request = new TrialRequest(trialId, proposal.Genotype, proposal.Fidelity, _continuation ?? seed);
        _continuation = null;
        _pending.Add(trialId, request);
        return request;
    }

    /// <summary>
    /// Replay of a trial the journal records as proposed. The strategy proposes again, as it did live, so its random
    /// stream and its own book-keeping advance exactly as then; but the recorded trial is what stays pending and
    /// what the strategy later learns from. So when today's code would propose something else (an upgraded library
    /// changed a model, a strategy's random stream changed), the journal still recovers: the search continues from
    /// the recorded decisions and outcomes, and only proposals made after recovery follow the new code.
    /// </summary>
    public void Adopt(TrialRequest trial)
    {
        if (_pending.ContainsKey(trial.TrialId) || _told.Contains(trial.TrialId))
            throw new InvalidOperationException($"trial {trial.TrialId} was already asked for");
        if (ProposeTrial(trial.TrialId) is not null) Random.NextSeed();
        _pending.Add(trial.TrialId, trial);
    }

    public TrialRequest? AskFor(int trialId, Genotype genotype)
    {
        if (Ask(trialId) is not { } proposed) return null;
        var request = proposed with { Genotype = genotype };
        _pending[trialId] = request;
        return request;
    }

    /// <summary>
    /// Teaches a result known before the search (see <see cref="IWarmStartable"/>) as if this strategy had proposed it;
    /// it never becomes pending and its id is told once. Only strategies that implement IWarmStartable call it.
    /// </summary>
    protected void LearnKnown(TrialRequest known, TrialSucceeded outcome)
    {
        if (_pending.ContainsKey(known.TrialId) || !_told.Add(known.TrialId))
            throw new InvalidOperationException($"known result {known.TrialId} was already taught");
        OnSucceeded(known, outcome);
    }

    public void Tell(TrialOutcome outcome)
    {
        // Unknown or already-told outcomes are duplicates from a re-issued trial: ignore them.
        if (!_pending.Remove(outcome.TrialId, out var request)) return;
        _told.Add(outcome.TrialId);
        switch (outcome)
        {
            case TrialSucceeded s: OnSucceeded(request, s); break;
            case TrialFailedOutcome or TrialCancelledOutcome: OnAbandoned(request); break;
        }
    }

    /// <summary>The next genotype at the default fidelity, or null for "nothing yet". Override this or <see cref="ProposeTrial"/>.</summary>
    protected virtual Genotype? Propose() =>
        throw new NotSupportedException($"{GetType().Name} must override {nameof(Propose)} or {nameof(ProposeTrial)}");

    /// <summary>
    /// Genotype and fidelity of trial <paramref name="trialId"/> chosen together, or null for "nothing yet".
    /// Multi-fidelity strategies override it to re-run an evaluated genotype at a higher fidelity
    /// under the new id; strategies that remember what they sampled per trial record it here.
    /// </summary>
    protected virtual (Genotype Genotype, Fidelity Fidelity)? ProposeTrial(int trialId) =>
        Propose() is { } genotype ? (genotype, ProposeFidelity()) : null;

    protected virtual Fidelity ProposeFidelity() => Context.Fidelity;

    /// <summary>
    /// Called from <see cref="ProposeTrial"/>: the trial being proposed continues an earlier trial with
    /// <paramref name="seed"/> (a promotion training the same genotype further from that trial's epoch
    /// checkpoint), so it gets that seed instead of a fresh one; null changes nothing. Evaluators recognise
    /// a continuation by the same genotype and seed at more epochs.
    /// </summary>
    protected void Continues(long? seed) => _continuation = seed;

    protected abstract void OnSucceeded(TrialRequest request, TrialSucceeded outcome);

    protected virtual void OnAbandoned(TrialRequest request) { }

    /// <summary>A uniformly random genotype that satisfies the hard constraints (rejection sampling).</summary>
    protected Genotype SampleFeasible(Func<Genotype, bool>? accept = null)
    {
        Genotype candidate = Space.Sample(Random);
        for (var attempt = 0; attempt < FeasibleSampleAttempts; attempt++)
        {
            if (Context.IsFeasible(candidate) && (accept is null || accept(candidate))) return candidate;
            candidate = Space.Sample(Random);
        }
        if (!Context.IsFeasible(candidate))
            throw new InvalidOperationException($"no genotype within the constraints found in {FeasibleSampleAttempts} samples");
        return candidate;
    }

    public string SaveState()
    {
        var state = new JsonObject
        {
            ["random"] = new JsonArray(Random.State.Select(w => (JsonNode)w).ToArray()),
            ["told"] = new JsonArray(_told.Order().Select(t => (JsonNode)t).ToArray()),
            ["pending"] = new JsonArray(_pending.Values.Select(TrialJson.ToJson).ToArray()),
            ["strategy"] = SaveOwnState()
        };
        return state.ToJsonString();
    }

    public void RestoreState(string state)
    {
        var root = JsonNode.Parse(state)!.AsObject();
        Random = SeededRandom.FromState(root["random"]!.AsArray().Select(n => n!.GetValue<ulong>()).ToArray());
        _told.Clear();
        foreach (var t in root["told"]!.AsArray()) _told.Add(t!.GetValue<int>());
        _pending.Clear();
        foreach (var p in root["pending"]!.AsArray())
        {
            var request = TrialJson.FromJson(p!, Space);
            _pending.Add(request.TrialId, request);
        }
        RestoreOwnState(root["strategy"]!);
    }

    protected abstract JsonNode SaveOwnState();

    protected abstract void RestoreOwnState(JsonNode state);

    protected static JsonNode GenotypeToJson(Genotype genotype) => ToJsonArray(genotype.Values);

    protected Genotype GenotypeFromJson(JsonNode node) => Space.FromValues(FromJsonArray(node));

    /// <summary>Scored genotypes as a snapshot holds them: <c>[{genotype, score}, …]</c> in order.</summary>
    protected static JsonArray ScoredToJson(IEnumerable<(Genotype Genotype, double Score)> scored) =>
        new(scored.Select(d => (JsonNode)new JsonObject { ["genotype"] = GenotypeToJson(d.Genotype), ["score"] = d.Score }).ToArray());

    protected IEnumerable<(Genotype Genotype, double Score)> ScoredFromJson(JsonNode node) =>
        node.AsArray().Select(d => (GenotypeFromJson(d!["genotype"]!), d["score"]!.GetValue<double>()));

    protected static JsonArray ToJsonArray(IEnumerable<double> values) => new(values.Select(v => (JsonNode)v).ToArray());

    protected static double[] FromJsonArray(JsonNode node) => node.AsArray().Select(n => n!.GetValue<double>()).ToArray();

    protected static JsonSerializerOptions JsonOptions { get; } = new() { WriteIndented = false };
}
