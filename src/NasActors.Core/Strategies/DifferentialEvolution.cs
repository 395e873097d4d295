using System.Text.Json.Nodes;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies;

/// <summary>
/// Differential evolution, DE/rand/1/bin (Storn &amp; Price 1997; Awad et al.'s DEHB uses it for NAS):
/// every genotype has a vector in [0, 1]^d, decoded per decision (<see cref="Decision.FromUnit"/>:
/// a categorical's option by equal-width bins, a log-uniform value by its log scale). For target i,
/// the mutant is x_r1 + F·(x_r2 − x_r3) (reflected into [0, 1]); binomial crossover with rate CR
/// (one coordinate always from the mutant) gives the trial vector, which replaces the target when
/// it scores at least as well. Asynchronous: targets are taken round-robin and each trial is
/// judged against its target's value at the time it returns.
/// </summary>
public sealed class DifferentialEvolution(StrategyContext context, DifferentialEvolutionOptions options) : StrategyBase(context)
{
    public const string Name = "de";
    private const int MinimumMembers = 4;
    private readonly List<Member> _population = [];
    private readonly List<InFlight> _inFlight = [];
    private int _initialProposed;
    private int _nextTarget;

    public IReadOnlyList<Member> Population => _population;

    protected override Genotype? Propose()
    {
        if (_initialProposed < options.Population)
        {
            _initialProposed++;
            return Launch(RandomFeasible(), target: -1);
        }
        if (_population.Count < MinimumMembers)
            return PendingTrials.Any() ? null : Launch(RandomFeasible(), target: -1);
        var target = _nextTarget++ % _population.Count;
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var vector = TrialVector(target);
            var genotype = Decode(vector);
            if (Context.IsFeasible(genotype)) return Launch((vector, genotype), target);
        }
        return Launch(RandomFeasible(), target);
    }

    private Genotype Launch((double[] Vector, Genotype Genotype) candidate, int target)
    {
        _inFlight.Add(new InFlight(candidate.Genotype.Canonical, candidate.Vector, target));
        return candidate.Genotype;
    }

    private double[] TrialVector(int target)
    {
        var picks = new List<int>();
        while (picks.Count < 3)
        {
            var r = Random.NextInt(_population.Count);
            if (r != target && !picks.Contains(r)) picks.Add(r);
        }
        var (a, b, c) = (_population[picks[0]].Vector, _population[picks[1]].Vector, _population[picks[2]].Vector);
        var x = _population[target].Vector;
        var forced = Random.NextInt(x.Length);
        var trial = new double[x.Length];
        for (var j = 0; j < x.Length; j++)
            trial[j] = j == forced || Random.NextDouble() < options.CR ? Reflect(a[j] + options.F * (b[j] - c[j])) : x[j];
        return trial;
    }

    private static double Reflect(double v)
    {
        v = Math.Abs(v) % 2;
        return v > 1 ? 2 - v : v;
    }

    private (double[], Genotype) RandomFeasible()
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var vector = Space.Decisions.Select(_ => Random.NextDouble()).ToArray();
            var genotype = Decode(vector);
            if (Context.IsFeasible(genotype)) return (vector, genotype);
        }
        var feasible = SampleFeasible();
        return (feasible.Values.Select((v, i) => Space.Decisions[i].ToUnit(v)).ToArray(), feasible);
    }

    private Genotype Decode(double[] vector) => Space.Create(vector.Select((u, i) => Space.Decisions[i].FromUnit(u)).ToArray());

    private InFlight Land(TrialRequest request)
    {
        var index = _inFlight.FindIndex(f => f.Canonical == request.Genotype.Canonical);
        var flight = _inFlight[index];
        _inFlight.RemoveAt(index);
        return flight;
    }

    protected override void OnSucceeded(TrialRequest request, TrialSucceeded outcome)
    {
        var flight = Land(request);
        var member = new Member(flight.Vector, request.Genotype, outcome.Objective);
        if (flight.Target >= 0 && flight.Target < _population.Count)
        {
            if (outcome.Objective >= _population[flight.Target].Score) _population[flight.Target] = member;
        }
        else if (_population.Count < options.Population)
        {
            _population.Add(member);
        }
    }

    // A failed initial member is replaced by another random one; a failed trial vector is simply lost.
    protected override void OnAbandoned(TrialRequest request)
    {
        if (Land(request).Target < 0 && _population.Count < options.Population && _initialProposed > 0) _initialProposed--;
    }

    protected override JsonNode SaveOwnState() => new JsonObject
    {
        ["initialProposed"] = _initialProposed,
        ["nextTarget"] = _nextTarget,
        ["population"] = new JsonArray(_population.Select(m => (JsonNode)new JsonObject
        {
            ["vector"] = ToJsonArray(m.Vector),
            ["values"] = ToJsonArray(m.Genotype.Values),
            ["score"] = m.Score
        }).ToArray()),
        ["inFlight"] = new JsonArray(_inFlight.Select(f => (JsonNode)new JsonObject
        {
            ["canonical"] = f.Canonical,
            ["vector"] = ToJsonArray(f.Vector),
            ["target"] = f.Target
        }).ToArray())
    };

    protected override void RestoreOwnState(JsonNode state)
    {
        _initialProposed = state["initialProposed"]!.GetValue<int>();
        _nextTarget = state["nextTarget"]!.GetValue<int>();
        _population.Clear();
        foreach (var m in state["population"]!.AsArray())
            _population.Add(new Member(FromJsonArray(m!["vector"]!), Space.FromValues(FromJsonArray(m["values"]!)), m["score"]!.GetValue<double>()));
        _inFlight.Clear();
        foreach (var f in state["inFlight"]!.AsArray())
            _inFlight.Add(new InFlight(f!["canonical"]!.GetValue<string>(), FromJsonArray(f["vector"]!), f["target"]!.GetValue<int>()));
    }

    public sealed record Member(double[] Vector, Genotype Genotype, double Score);

    private sealed record InFlight(string Canonical, double[] Vector, int Target);
}

public sealed record DifferentialEvolutionOptions(int Population = 20, double F = 0.5, double CR = 0.5)
{
    public static ParameterTable<DifferentialEvolutionOptions> Table { get; } = new ParameterTable<DifferentialEvolutionOptions>(new DifferentialEvolutionOptions())
        .Int("population", 4, 10_000, o => o.Population, (o, v) => o with { Population = v }, "vectors in the population")
        .Double("F", 0, 2, o => o.F, (o, v) => o with { F = v }, "differential weight")
        .Double("CR", 0, 1, o => o.CR, (o, v) => o with { CR = v }, "crossover probability");
}
