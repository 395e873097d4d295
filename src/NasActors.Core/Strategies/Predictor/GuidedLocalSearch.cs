using System.Text.Json.Nodes;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies.Predictor;

/// <summary>
/// Predictor-guided local search, a hybrid of local search's neighbourhoods (White et al. 2021) and
/// Bayesian optimisation's model-based choice (BANANAS/NPENAS-style candidate generation from the best
/// cells found, White et al. 2021 and Wei et al. 2022). After <see cref="GuidedOptions.InitialRandom"/>
/// uniformly random unseen genotypes, every proposal is the unseen candidate with the highest upper
/// confidence bound mean + κ·std of a Gaussian process (<see cref="HammingKernelRegressor"/>, refitted on
/// every result). Candidates: every neighbour (one decision changed) of the <see cref="GuidedOptions.Parents"/>
/// best results, <see cref="GuidedOptions.Mutations"/> two-step mutations of them, and
/// <see cref="GuidedOptions.RandomCandidates"/> random genotypes, so the model may also jump away.
/// Never proposes a genotype twice (with isomorphism merging in the space, never an isomorphic cell
/// twice). Asynchronous: pending trials are simply not candidates; it never waits.
/// </summary>
public sealed class GuidedLocalSearch(StrategyContext context, GuidedOptions options) : StrategyBase(context)
{
    public const string Name = "guided";
    private const int Finalists = 24;
    private readonly List<(Genotype Genotype, double Score)> _data = [];
    private readonly ProposedGenotypes _proposed = new();
    private readonly Dictionary<string, IReadOnlyList<Genotype>> _neighbours = new(StringComparer.Ordinal); // a cache: the best parents change slowly
    private HammingKernelRegressor? _model;
    private int _modelRows = -1;

    protected override Genotype? Propose()
    {
        if (_data.Count < options.InitialRandom) return _proposed.Remember(SampleFeasible(Unseen));
        var model = Model();
        // The mean is cheap (O(n)), the std is not (O(n²)): rank by mean, then take the upper
        // confidence bound of the best few only.
        var finalists = Candidates().Select((g, i) => (Genotype: g, Index: i, Mean: model.Mean(g)))
            .OrderByDescending(c => c.Mean).ThenBy(c => c.Index).Take(options.Kappa > 0 ? Finalists : 1)
            .Select(c => (c.Genotype, c.Index, Score: options.Kappa > 0 ? UpperBound(model, c.Genotype) : c.Mean))
            .OrderByDescending(c => c.Score).ThenBy(c => c.Index)
            .FirstOrDefault();
        return _proposed.Remember(finalists.Genotype ?? SampleFeasible(Unseen));
    }

    private double UpperBound(HammingKernelRegressor model, Genotype genotype)
    {
        var (mean, std) = model.Predict(genotype);
        return mean + options.Kappa * std;
    }

    private bool Unseen(Genotype g) => !_proposed.Contains(g);

    private HammingKernelRegressor Model()
    {
        if (_model is null || _modelRows != _data.Count)
        {
            _model = HammingKernelRegressor.Fit(Space, _data.Select(d => d.Genotype).ToArray(), _data.Select(d => d.Score).ToArray(),
                options.LengthScale, options.Noise);
            _modelRows = _data.Count;
        }
        return _model;
    }

    /// <summary>Unseen feasible candidates in a deterministic order (ties keep the first).</summary>
    private List<Genotype> Candidates()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<Genotype>();
        void Add(Genotype g)
        {
            if (Unseen(g) && Context.IsFeasible(g) && seen.Add(g.Canonical)) result.Add(g);
        }
        var parents = _data.Select((d, i) => (d, i)).OrderByDescending(x => x.d.Score).ThenBy(x => x.i)
            .Take(options.Parents).Select(x => x.d.Genotype).ToArray();
        foreach (var parent in parents)
            foreach (var neighbour in NeighboursOf(parent))
                Add(neighbour);
        for (var m = 0; m < options.Mutations && parents.Length > 0; m++)
        {
            var parent = parents[Random.NextInt(parents.Length)];
            Add(Space.Mutate(Space.Mutate(parent, Random), Random));
        }
        for (var r = 0; r < options.RandomCandidates; r++) Add(Space.Sample(Random));
        return result;
    }

    private IReadOnlyList<Genotype> NeighboursOf(Genotype parent)
    {
        if (!_neighbours.TryGetValue(parent.Canonical, out var list)) _neighbours[parent.Canonical] = list = Space.Neighbours(parent);
        return list;
    }

    protected override void OnSucceeded(TrialRequest request, TrialSucceeded outcome) => _data.Add((request.Genotype, outcome.Objective));

    protected override JsonNode SaveOwnState() => new JsonObject
    {
        ["data"] = ScoredToJson(_data),
        ["proposed"] = _proposed.ToJson()
    };

    protected override void RestoreOwnState(JsonNode state)
    {
        _data.Clear();
        _data.AddRange(ScoredFromJson(state["data"]!));
        _proposed.Restore(state["proposed"]!);
        _model = null;
        _modelRows = -1;
    }
}

/// <param name="InitialRandom">uniformly random proposals before the model guides</param>
/// <param name="Parents">best results whose whole neighbourhoods are candidates</param>
/// <param name="Mutations">two-step mutations of those parents added as candidates</param>
/// <param name="RandomCandidates">uniformly random candidates (lets the model jump to new regions)</param>
/// <param name="Kappa">exploration weight of the predictive standard deviation</param>
/// <param name="LengthScale">distance (decisions changed) over which the kernel falls by e</param>
/// <param name="Noise">observation noise, relative to the standardised targets' unit variance</param>
public sealed record GuidedOptions(
    int InitialRandom = 10,
    int Parents = 5,
    int Mutations = 20,
    int RandomCandidates = 30,
    double Kappa = 0.5,
    double LengthScale = 2,
    double Noise = 0.05)
{
    public static ParameterTable<GuidedOptions> Table { get; } = new ParameterTable<GuidedOptions>(new GuidedOptions())
        .Int("initial_random", 1, 100_000, o => o.InitialRandom, (o, v) => o with { InitialRandom = v }, "random proposals before the model guides")
        .Int("parents", 1, 10_000, o => o.Parents, (o, v) => o with { Parents = v }, "best results whose neighbourhoods are candidates")
        .Int("mutations", 0, 100_000, o => o.Mutations, (o, v) => o with { Mutations = v }, "two-step mutations of the parents added as candidates")
        .Int("random_candidates", 0, 100_000, o => o.RandomCandidates, (o, v) => o with { RandomCandidates = v }, "uniformly random candidates")
        .Double("kappa", 0, 100, o => o.Kappa, (o, v) => o with { Kappa = v }, "weight of the predictive std in the acquisition")
        .Double("length_scale", 0.01, 1000, o => o.LengthScale, (o, v) => o with { LengthScale = v }, "kernel length scale in changed decisions")
        .Double("noise", 1e-6, 100, o => o.Noise, (o, v) => o with { Noise = v }, "observation noise (standardised units)");
}
