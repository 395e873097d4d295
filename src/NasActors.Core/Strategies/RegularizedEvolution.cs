using System.Text.Json.Nodes;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies;

/// <summary>
/// Regularized (aging) evolution, Real et al. 2019 ("AmoebaNet"): a FIFO population of
/// <see cref="EvolutionOptions.Population"/> members; each child mutates the best of a random
/// tournament of <see cref="EvolutionOptions.Sample"/> members, and the oldest member dies.
/// Asynchronous: the first P proposals are random; children are bred from whatever has
/// been evaluated so far, and "nothing yet" is returned while nothing has.
/// Options: <see cref="EvolutionOptions.EarlyExitParameters"/> (EEEA-Net, Termritthikun et al. 2021:
/// random initial members above that many parameters are rejected before costing an evaluation) and
/// <see cref="EvolutionOptions.Crossover"/> (the chance that a child is bred from two tournament
/// winners by shortest-edit-path crossover, Qiu et al. 2023, before it is mutated).
/// </summary>
public sealed class RegularizedEvolution(StrategyContext context, EvolutionOptions options) : StrategyBase(context), IWarmStartable
{
    public const string Name = "evolution";
    private readonly LinkedList<Member> _population = new();
    private int _randomProposals;
    private readonly ProposedGenotypes _proposed = new();

    private readonly Dictionary<int, int> _parents = new();
    private int? _lastParent;

    public IReadOnlyCollection<Member> Population => _population;

    /// <summary>The trial id of the member a pending child was bred from; null for a random one.</summary>
    public int? ParentOf(int trialId) => _parents.TryGetValue(trialId, out var parent) ? parent : null;

    /// <summary>The fittest living member, or null while none has been evaluated.</summary>
    public Member? Best => _population.MaxBy(m => m.Fitness);

    /// <summary>
    /// Adds an evaluated member that was bred elsewhere (a migrant from another island) as the
    /// youngest member; the oldest dies if the population is full.
    /// </summary>
    public void Immigrate(Genotype genotype, double fitness, int trialId)
    {
        _population.AddLast(new Member(genotype, fitness, trialId));
        _proposed.Add(genotype);
        if (_population.Count > options.Population) _population.RemoveFirst();
    }

    /// <summary>
    /// A known result joins the population as an evaluated member and takes the place of one random starting
    /// proposal, so a warm start of a full population breeds from the first trial. Known results arrive worst first
    /// (see SearchDefinition.KnownOutcomes), so when there are more than the population holds, the best survive.
    /// </summary>
    public void WarmStart(TrialRequest known, TrialSucceeded outcome)
    {
        LearnKnown(known, outcome);
        _proposed.Add(known.Genotype);
        _randomProposals = Math.Min(options.Population, _randomProposals + 1);
    }

    protected override (Genotype Genotype, Fidelity Fidelity)? ProposeTrial(int trialId)
    {
        _lastParent = null;
        if (Propose() is not { } genotype) return null;
        if (_lastParent is { } parent) _parents[trialId] = parent;
        return (genotype, ProposeFidelity());
    }

    protected override Genotype? Propose()
    {
        if (_randomProposals < options.Population)
        {
            _randomProposals++;
            var attempts = 0;
            var fresh = SampleFeasible(g => PassesEarlyExit(g) && (!_proposed.Contains(g) || ++attempts > 64));
            _proposed.Add(fresh);
            return fresh;
        }
        if (_population.Count == 0) return null;
        var parent = Breed();
        var child = Space.Mutate(parent, Random);
        // Prefer unseen, feasible children; a few retries keep the budget off duplicates.
        for (var retry = 0; retry < 16 && (!Context.IsFeasible(child) || _proposed.Contains(child)); retry++)
            child = Space.Mutate(parent, Random);
        if (!Context.IsFeasible(child)) child = SampleFeasible();
        _proposed.Add(child);
        return child;
    }

    // The early-exit threshold filters the random start only; bred children face just the hard limits.
    private bool PassesEarlyExit(Genotype genotype) =>
        options.EarlyExitParameters is not { } limit || Space.ParameterCount(genotype) <= limit;

    /// <summary>The genotype a child mutates from: a tournament winner, or the edit-path middle of two.</summary>
    private Genotype Breed()
    {
        var winner = Tournament();
        _lastParent = winner.TrialId;
        var first = winner.Genotype;
        if (options.Crossover <= 0 || Random.NextDouble() >= options.Crossover) return first;
        return Space.EditPathCrossover(first, Tournament().Genotype, Random);
    }

    private Member Tournament()
    {
        var members = _population.ToArray();
        Member? best = null;
        for (var i = 0; i < Math.Min(options.Sample, members.Length); i++)
        {
            var candidate = members[Random.NextInt(members.Length)];
            if (best is null || candidate.Fitness > best.Fitness) best = candidate;
        }
        return best!;
    }

    protected override void OnSucceeded(TrialRequest request, TrialSucceeded outcome)
    {
        _parents.Remove(request.TrialId);
        _population.AddLast(new Member(request.Genotype, outcome.Objective, request.TrialId));
        if (_population.Count > options.Population) _population.RemoveFirst();
    }

    // A random initial member that failed is replaced by another random one.
    protected override void OnAbandoned(TrialRequest request)
    {
        _parents.Remove(request.TrialId);
        if (_population.Count + Pending.Count < options.Population && _randomProposals > 0) _randomProposals--;
    }

    protected override JsonNode SaveOwnState() => new JsonObject
    {
        ["randomProposals"] = _randomProposals,
        ["population"] = new JsonArray(_population.Select(m => (JsonNode)new JsonObject
        {
            ["values"] = ToJsonArray(m.Genotype.Values),
            ["fitness"] = m.Fitness,
            ["trial"] = m.TrialId
        }).ToArray()),
        ["proposed"] = _proposed.ToJson(),
        ["parents"] = new JsonObject(_parents.OrderBy(p => p.Key).Select(p => KeyValuePair.Create(p.Key.ToString(), (JsonNode?)p.Value)))
    };

    protected override void RestoreOwnState(JsonNode state)
    {
        _randomProposals = state["randomProposals"]!.GetValue<int>();
        _population.Clear();
        foreach (var m in state["population"]!.AsArray())
            _population.AddLast(new Member(Space.FromValues(FromJsonArray(m!["values"]!)), m["fitness"]!.GetValue<double>(), m["trial"]!.GetValue<int>()));
        _proposed.Restore(state["proposed"]!);
        _parents.Clear();
        // Absent in snapshots written before parents were tracked.
        if (state["parents"] is JsonObject parents)
            foreach (var (trial, parent) in parents) _parents[int.Parse(trial)] = parent!.GetValue<int>();
    }

    public sealed record Member(Genotype Genotype, double Fitness, int TrialId);
}

public sealed record EvolutionOptions(int Population = 10, int Sample = 3, long? EarlyExitParameters = null, double Crossover = 0);
