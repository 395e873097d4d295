using System.Text.Json.Nodes;
using NasActors.Core.Specs;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies.MultiObjective;

/// <summary>
/// NSGA-II (Deb et al. 2002) in its steady-state form, which fits ask/tell: the first
/// <see cref="Nsga2Options.Population"/> proposals are random; after that each Ask breeds one child
/// from two binary-tournament winners (lower front first, then larger crowding distance) by uniform
/// crossover and mutation, and each result joins the population, which then drops its most crowded
/// member of the last front. Objectives are the spec's objectives list when it has two or more
/// (accuracy up and parameters down otherwise), each measured from the trial's metrics or the cost
/// model and signed so larger is better; the outcome's scalar objective is not used. Soft constraints take part in
/// the ranking by Deb's constraint-domination: a member's violation is its soft-limit penalty
/// (<see cref="Constraints.ConstraintChecker.Penalty"/>, the weighted relative overshoot), members within every
/// soft limit beat those beyond one, and of two beyond, the smaller violation wins (hard limits are never
/// proposed). <see cref="ParetoFront"/> is the non-constraint-dominated set of everything evaluated, not only of the
/// current population; <see cref="Hypervolume"/> measures it.
/// </summary>
public sealed class Nsga2(StrategyContext context, Nsga2Options options) : StrategyBase(context), IWarmStartable
{
    public const string Name = "nsga2";
    private const int UnseenAttempts = 16;
    private readonly List<Member> _population = [];
    private readonly List<Member> _front = [];
    private readonly ProposedGenotypes _proposed = new();
    private int _randomProposals;

    public IReadOnlyList<ObjectiveSpec> Objectives { get; } =
        options.Objectives ?? (context.Objectives.Count >= 2 ? context.Objectives : Nsga2Options.DefaultObjectives);
    public IReadOnlyList<Member> Population => _population;

    /// <summary>Non-dominated members among all evaluated trials, in evaluation order.</summary>
    public IReadOnlyList<Member> ParetoFront => _front;

    protected override Genotype? Propose()
    {
        if (_randomProposals < options.Population || _population.Count == 0)
        {
            if (_randomProposals >= options.Population) return null; // the random ones are all still running
            _randomProposals++;
            return _proposed.Remember(SampleFeasible(g => !_proposed.Contains(g)));
        }
        var fronts = ParetoRanking.Fronts(_population.Select(m => m.Scores).ToArray(), _population.Select(m => m.Violation).ToArray());
        var crowding = ParetoRanking.Crowding(_population.Select(m => m.Scores).ToArray(), fronts);
        Genotype child = _population[Tournament(fronts, crowding)].Genotype;
        for (var attempt = 0; attempt < UnseenAttempts; attempt++)
        {
            var a = _population[Tournament(fronts, crowding)].Genotype;
            var b = _population[Tournament(fronts, crowding)].Genotype;
            child = Random.NextDouble() < options.CrossoverRate ? Space.Crossover(a, b, Random) : a;
            if (Random.NextDouble() < options.MutationRate || child.Equals(a) || child.Equals(b)) child = Space.Mutate(child, Random);
            if (Context.IsFeasible(child) && !_proposed.Contains(child)) break;
        }
        return _proposed.Remember(Context.IsFeasible(child) ? child : SampleFeasible());
    }

    private int Tournament(int[] fronts, double[] crowding)
    {
        var best = Random.NextInt(_population.Count);
        for (var i = 1; i < options.TournamentSize; i++)
        {
            var other = Random.NextInt(_population.Count);
            if (fronts[other] < fronts[best] || (fronts[other] == fronts[best] && crowding[other] > crowding[best])) best = other;
        }
        return best;
    }

    /// <summary>A known result joins the population (and the front) as an evaluated member.</summary>
    public void WarmStart(TrialRequest known, TrialSucceeded outcome) => LearnKnown(known, outcome);

    protected override void OnSucceeded(TrialRequest request, TrialSucceeded outcome)
    {
        var scores = Objectives.Select(o => o.Score(o.Measure(request.Genotype, outcome.Metrics, Context.Constraints.Costs))).ToArray();
        var member = new Member(request.TrialId, request.Genotype, scores, Context.Constraints.Penalty(request.Genotype));
        _population.Add(member);
        if (_population.Count > options.Population) _population.RemoveAt(MostCrowdedOfLastFront());
        if (!_front.Any(f => ParetoRanking.ConstrainedDominates(f.Scores, f.Violation, scores, member.Violation)))
        {
            _front.RemoveAll(f => ParetoRanking.ConstrainedDominates(scores, member.Violation, f.Scores, f.Violation));
            _front.Add(member);
        }
    }

    /// <summary>
    /// Hypervolume of the Pareto front's members within every soft limit, against <paramref name="reference"/> (default:
    /// <see cref="MultiObjective.Hypervolume.DefaultReference"/> of those members); 0 while there are none.
    /// </summary>
    public double Hypervolume(IReadOnlyList<double>? reference = null)
    {
        var feasible = _front.Where(m => m.Violation <= 0).Select(m => m.Scores).ToList();
        return feasible.Count == 0 ? 0 : MultiObjective.Hypervolume.Of(feasible, reference ?? MultiObjective.Hypervolume.DefaultReference(feasible));
    }

    private int MostCrowdedOfLastFront()
    {
        var points = _population.Select(m => m.Scores).ToArray();
        var fronts = ParetoRanking.Fronts(points, _population.Select(m => m.Violation).ToArray());
        var crowding = ParetoRanking.Crowding(points, fronts);
        var last = fronts.Max();
        // Smallest crowding distance in the last front; the oldest member on ties.
        return Enumerable.Range(0, points.Length).Where(i => fronts[i] == last)
            .OrderBy(i => crowding[i]).ThenBy(i => _population[i].TrialId).First();
    }

    // A random initial member that failed is replaced by another random one.
    protected override void OnAbandoned(TrialRequest request)
    {
        if (_population.Count + Pending.Count < options.Population && _randomProposals > 0) _randomProposals--;
    }

    protected override JsonNode SaveOwnState() => new JsonObject
    {
        ["randomProposals"] = _randomProposals,
        ["population"] = MembersToJson(_population),
        ["front"] = MembersToJson(_front),
        ["proposed"] = _proposed.ToJson()
    };

    protected override void RestoreOwnState(JsonNode state)
    {
        _randomProposals = state["randomProposals"]!.GetValue<int>();
        _population.Clear();
        _population.AddRange(MembersFromJson(state["population"]!));
        _front.Clear();
        _front.AddRange(MembersFromJson(state["front"]!));
        _proposed.Restore(state["proposed"]!);
    }

    private static JsonArray MembersToJson(IEnumerable<Member> members) => new(members.Select(m => (JsonNode)new JsonObject
    {
        ["trial"] = m.TrialId,
        ["genotype"] = GenotypeToJson(m.Genotype),
        ["scores"] = ToJsonArray(m.Scores)
    }).ToArray());

    // The violation is recomputed from the genotype, so snapshots stay as they were.
    private IEnumerable<Member> MembersFromJson(JsonNode node) => node.AsArray().Select(m =>
    {
        var genotype = GenotypeFromJson(m!["genotype"]!);
        return new Member(m["trial"]!.GetValue<int>(), genotype, FromJsonArray(m["scores"]!), Context.Constraints.Penalty(genotype));
    });

    /// <param name="Scores">one per objective, signed so that larger is better</param>
    /// <param name="Violation">soft-limit penalty; 0 within every soft limit</param>
    public sealed record Member(int TrialId, Genotype Genotype, IReadOnlyList<double> Scores, double Violation = 0);
}

/// <param name="Objectives">metrics (by spec name) and their directions; null = the context's when it has two or more</param>
/// <param name="Population">members kept; also the number of random proposals</param>
/// <param name="TournamentSize">contenders per parent selection</param>
/// <param name="CrossoverRate">chance a child is a uniform crossover of two parents</param>
/// <param name="MutationRate">chance a child is also mutated (always when it equals a parent)</param>
public sealed record Nsga2Options(
    IReadOnlyList<ObjectiveSpec>? Objectives = null,
    int Population = 20,
    int TournamentSize = 2,
    double CrossoverRate = 0.9,
    double MutationRate = 0.5)
{
    /// <summary>Accuracy up, size down: the usual NAS trade-off, for specs that list a single objective.</summary>
    public static IReadOnlyList<ObjectiveSpec> DefaultObjectives { get; } =
        [new ObjectiveSpec("val_accuracy", Maximise: true), new ObjectiveSpec("params", Maximise: false)];
}
