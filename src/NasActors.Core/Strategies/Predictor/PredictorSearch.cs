using System.Text.Json.Nodes;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies.Predictor;

/// <summary>
/// Predictor-guided search (the GBDT-predictor family of White et al. 2021, "How Powerful are
/// Performance Predictors in NAS?"; Luo et al. 2020): until <see cref="PredictorOptions.InitialRandom"/>
/// results are in, proposals are uniformly random; after that a gradient-boosted tree regressor,
/// trained on every result (retrained each <see cref="PredictorOptions.RetrainEvery"/> new ones), scores
/// a pool of <see cref="PredictorOptions.PoolSize"/> unseen feasible random genotypes and the best-predicted
/// one runs. Optional pruning: a categorical decision holding at least
/// <see cref="PredictorOptions.PruneImportance"/> of the trees' split gain loses, for later pools, the options
/// whose mean prediction over a random pool is below the mean over its options.
/// The snapshot keeps the training data, not the model: a restored strategy retrains on the same rows
/// (training is deterministic, <see cref="GbdtRegressor"/>) and so predicts exactly as before.
/// </summary>
public sealed class PredictorSearch(StrategyContext context, PredictorOptions options) : StrategyBase(context), IWarmStartable
{
    public const string Name = "predictor";
    private readonly GenotypeFeatures _features = new(context.Space);
    private readonly List<(Genotype Genotype, double Score)> _data = [];
    private readonly ProposedGenotypes _proposed = new();
    private readonly SortedDictionary<int, int[]> _allowed = new();
    private GbdtRegressor? _model;
    private int _trainedOn;

    /// <summary>Options still sampled per pruned decision (decision index → option indices).</summary>
    public IReadOnlyDictionary<int, int[]> AllowedOptions => _allowed;

    protected override Genotype? Propose()
    {
        if (_data.Count < options.InitialRandom) return _proposed.Remember(SampleFeasible(g => !_proposed.Contains(g)));
        var model = CurrentModel();
        var pool = Pool(restricted: true);
        if (pool.Count == 0) return _proposed.Remember(SampleFeasible());
        var predictions = model.Predict(pool.Select(_features.Encode).ToArray());
        return _proposed.Remember(pool[Categorical.ArgMax(predictions.Select(p => (double)p).ToArray())]);
    }

    private GbdtRegressor CurrentModel()
    {
        // After a restore: the very model the snapshot's strategy had.
        if (_model is null && _trainedOn > 0) _model = Train(_trainedOn);
        if (_model is null || _data.Count - _trainedOn >= options.RetrainEvery)
        {
            _trainedOn = _data.Count;
            _model = Train(_trainedOn);
            if (options.PruneImportance > 0) Prune(_model);
        }
        return _model;
    }

    private GbdtRegressor Train(int rows) => GbdtRegressor.Train(
        _data.Take(rows).Select(d => _features.Encode(d.Genotype)).ToArray(),
        _data.Take(rows).Select(d => (float)d.Score).ToArray(),
        _features.Count, options.Trees);

    /// <summary>Unseen feasible genotypes, pruned options excluded when <paramref name="restricted"/>.</summary>
    private List<Genotype> Pool(bool restricted)
    {
        var pool = new Dictionary<string, Genotype>();
        for (var attempt = 0; attempt < 4 * options.PoolSize && pool.Count < options.PoolSize; attempt++)
        {
            var candidate = Space.Create(Space.Decisions.Select((d, i) =>
                restricted && _allowed.TryGetValue(i, out var allowed) ? allowed[Random.NextInt(allowed.Length)] : d.Sample(Random)).ToArray());
            if (Context.IsFeasible(candidate) && !_proposed.Contains(candidate)) pool.TryAdd(candidate.Canonical, candidate);
        }
        return pool.Values.ToList();
    }

    private void Prune(GbdtRegressor model)
    {
        _allowed.Clear();
        var gains = new double[Space.Decisions.Count];
        for (var f = 0; f < _features.Count; f++) gains[_features.DecisionOf[f]] += model.FeatureGains[f];
        var total = gains.Sum();
        if (total <= 0) return;
        var pool = Pool(restricted: false);
        var predictions = model.Predict(pool.Select(_features.Encode).ToArray());
        for (var d = 0; d < gains.Length; d++)
        {
            if (gains[d] / total < options.PruneImportance || Space.Decisions[d].Cardinality is not > 1) continue;
            var means = Enumerable.Range(0, Space.Decisions[d].Cardinality!.Value).Select(o =>
            {
                var hits = pool.Select((g, i) => (g, i)).Where(x => Space.IsActive(x.g.Values, d) && (int)x.g[d] == o).ToList();
                return hits.Count == 0 ? double.PositiveInfinity : hits.Average(x => (double)predictions[x.i]);
            }).ToArray();
            var finite = means.Where(double.IsFinite).ToArray();
            if (finite.Length == 0) continue;
            var kept = Enumerable.Range(0, means.Length).Where(o => means[o] >= finite.Average()).ToArray();
            if (kept.Length < means.Length) _allowed[d] = kept;
        }
    }

    /// <summary>A known result is one more training row for the predictor.</summary>
    public void WarmStart(TrialRequest known, TrialSucceeded outcome) => LearnKnown(known, outcome);

    protected override void OnSucceeded(TrialRequest request, TrialSucceeded outcome) => _data.Add((request.Genotype, outcome.Objective));

    protected override JsonNode SaveOwnState() => new JsonObject
    {
        ["data"] = ScoredToJson(_data),
        ["trainedOn"] = _trainedOn,
        ["allowed"] = new JsonObject(_allowed.Select(kv => KeyValuePair.Create(
            kv.Key.ToString(), (JsonNode?)new JsonArray(kv.Value.Select(o => (JsonNode)o).ToArray())))),
        ["proposed"] = _proposed.ToJson()
    };

    protected override void RestoreOwnState(JsonNode state)
    {
        _data.Clear();
        _data.AddRange(ScoredFromJson(state["data"]!));
        _trainedOn = state["trainedOn"]!.GetValue<int>();
        _model = null;
        _allowed.Clear();
        foreach (var (decision, options) in state["allowed"]!.AsObject())
            _allowed[int.Parse(decision)] = options!.AsArray().Select(o => o!.GetValue<int>()).ToArray();
        _proposed.Restore(state["proposed"]!);
    }
}

/// <param name="InitialRandom">results collected at random before the predictor is used</param>
/// <param name="PoolSize">random candidates scored per proposal</param>
/// <param name="RetrainEvery">new results before the model is retrained</param>
/// <param name="Trees">the regressor's shape</param>
/// <param name="PruneImportance">split-gain share from which a decision's weak options are pruned; 0 = off</param>
public sealed record PredictorOptions(
    int InitialRandom = 10,
    int PoolSize = 1000,
    int RetrainEvery = 5,
    GbdtOptions? Trees = null,
    double PruneImportance = 0)
{
    public GbdtOptions Trees { get; init; } = Trees ?? new GbdtOptions();

    public static ParameterTable<PredictorOptions> Table { get; } = new ParameterTable<PredictorOptions>(new PredictorOptions())
        .Int("initial_random", 2, 100_000, o => o.InitialRandom, (o, v) => o with { InitialRandom = v }, "random results before the predictor is used")
        .Int("pool_size", 1, 1_000_000, o => o.PoolSize, (o, v) => o with { PoolSize = v }, "random candidates scored per proposal")
        .Int("retrain_every", 1, 100_000, o => o.RetrainEvery, (o, v) => o with { RetrainEvery = v }, "new results before retraining")
        .Int("trees", 1, 10_000, o => o.Trees.Trees, (o, v) => o with { Trees = o.Trees with { Trees = v } }, "boosting rounds")
        .Int("leaves", 2, 1_000, o => o.Trees.Leaves, (o, v) => o with { Trees = o.Trees with { Leaves = v } }, "leaves per tree")
        .Double("prune_importance", 0, 1, o => o.PruneImportance, (o, v) => o with { PruneImportance = v },
            "gain share from which weak options are pruned; 0 = off");
}
