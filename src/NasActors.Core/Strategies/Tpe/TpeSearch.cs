using System.Text.Json.Nodes;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies.Tpe;

/// <summary>
/// The tree-structured Parzen estimator (Bergstra et al. 2011) as Optuna's TPESampler runs it by default
/// (Optuna 3.1, independent sampling): the first <see cref="TpeOptions.StartupTrials"/> results come from
/// uniform random proposals. After that, the finished trials are ranked and the best γ(n) = min(⌈0.1·n⌉, 25)
/// form the "good" set, the rest the "bad" one; with the constant liar the pending trials join the bad set
/// (as if they had the worst result), so concurrent trainers are steered away from what is already running.
/// Per decision, a <see cref="ParzenEstimator"/> l is fitted to the good set's values and g to the bad set's
/// (only trials in which the decision was active count); <see cref="TpeOptions.Candidates"/> draws from l are
/// scored by log l − log g and the best one is taken. When the assembled genotype breaks a hard constraint,
/// or (with <see cref="TpeOptions.AvoidRepeats"/>, the default) repeats a genotype already evaluated or running,
/// whole genotypes drawn from the l's are scored by the summed log-ratios and the best acceptable one runs
/// (a uniform acceptable sample if none is). Optuna re-proposes: once the good set agrees on a decision, the
/// per-decision argmax keeps assembling the same genotype, and on a deterministic objective every repeat is
/// budget spent for nothing.
/// </summary>
public class TpeSearch(StrategyContext context, TpeOptions options) : StrategyBase(context), IWarmStartable
{
    public const string Name = "tpe";
    private const int JointRounds = 8;
    private readonly List<Observation> _observations = [];

    /// <summary>Optuna's default γ: the size of the good set for n finished trials.</summary>
    public static int Gamma(int n) => Math.Min((int)Math.Ceiling(0.1 * n), 25);

    public IReadOnlyList<Observation> Observations => _observations;

    protected override Genotype? Propose()
    {
        var known = options.AvoidRepeats ? Known() : null;
        bool Acceptable(Genotype g) => Context.IsFeasible(g) && known?.Contains(g.Canonical) != true;
        if (_observations.Count < options.StartupTrials) return SampleFeasible(Acceptable);
        var (good, bad) = Split();
        var estimators = Space.Decisions.Select((d, i) => (
            Good: new ParzenEstimator(d, Coded(good, i), options.PriorWeight),
            Bad: new ParzenEstimator(d, Coded(bad, i), options.PriorWeight))).ToArray();

        var values = new double[estimators.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var best = double.NegativeInfinity;
            for (var c = 0; c < options.Candidates; c++)
            {
                var x = estimators[i].Good.Sample(Random);
                var score = estimators[i].Good.LogPdf(x) - estimators[i].Bad.LogPdf(x);
                if (score > best) (best, values[i]) = (score, x);
            }
        }
        var genotype = Decode(values);
        return Acceptable(genotype) ? genotype : BestJoint(estimators, Acceptable);
    }

    /// <summary>Canonical forms of every genotype evaluated or running.</summary>
    private HashSet<string> Known() =>
        _observations.Select(o => o.Genotype.Canonical).Concat(PendingTrials.Select(p => p.Genotype.Canonical)).ToHashSet();

    /// <summary>
    /// Whole genotypes drawn from the good densities, scored by their summed log-ratios: the best acceptable one
    /// (a uniform acceptable sample if no draw is).
    /// </summary>
    private Genotype BestJoint((ParzenEstimator Good, ParzenEstimator Bad)[] estimators, Func<Genotype, bool> acceptable)
    {
        for (var round = 0; round < JointRounds; round++)
        {
            Genotype? best = null;
            var bestScore = double.NegativeInfinity;
            for (var c = 0; c < options.Candidates; c++)
            {
                var x = estimators.Select(e => e.Good.Sample(Random)).ToArray();
                var candidate = Decode(x);
                if (!acceptable(candidate)) continue;
                var score = estimators.Select((e, i) => e.Good.LogPdf(x[i]) - e.Bad.LogPdf(x[i])).Sum();
                if (score > bestScore) (best, bestScore) = (candidate, score);
            }
            if (best is not null) return best;
        }
        return SampleFeasible(acceptable);
    }

    /// <summary>
    /// The good and the bad set, each in trial order: finished trials ranked by <see cref="RankValues"/> (ties keep trial
    /// order), γ(finished) good; pending trials (constant liar) rank last.
    /// </summary>
    private (List<Genotype> Good, List<Genotype> Bad) Split()
    {
        var finished = _observations.OrderBy(o => o.TrialId).ToList();
        var ranks = RankValues(finished);
        var entries = finished.Select((o, k) => (o.TrialId, o.Genotype, Rank: ranks[k]));
        if (options.ConstantLiar)
            entries = entries.Concat(PendingTrials.Select(p => (p.TrialId, p.Genotype, Rank: double.NegativeInfinity)));
        var ordered = entries.OrderBy(e => e.TrialId).ToList();
        var goodIds = ordered.OrderByDescending(e => e.Rank).Take(Gamma(finished.Count)).Select(e => e.TrialId).ToHashSet();
        return (ordered.Where(e => goodIds.Contains(e.TrialId)).Select(e => e.Genotype).ToList(),
            ordered.Where(e => !goodIds.Contains(e.TrialId)).Select(e => e.Genotype).ToList());
    }

    /// <summary>What the split ranks finished trials by (larger is better): the penalised objective, for a single-objective search.</summary>
    protected virtual double[] RankValues(IReadOnlyList<Observation> finished) => finished.Select(o => o.Objective).ToArray();

    private List<double> Coded(IEnumerable<Genotype> genotypes, int decision) =>
        genotypes.Where(g => Space.IsActive(g.Values, decision)).Select(g => Encode(decision, g[decision])).ToList();

    private double Encode(int decision, double value) =>
        DecisionCoding.IsCategorical(Space.Decisions[decision]) ? value : DecisionCoding.ToUnit(Space.Decisions[decision], value);

    private Genotype Decode(double[] coded) =>
        Space.Create(coded.Select((x, i) => DecisionCoding.IsCategorical(Space.Decisions[i]) ? x : DecisionCoding.FromUnit(Space.Decisions[i], x)));

    /// <summary>A known result is one more observation: with enough of them the model is used from the first proposal.</summary>
    public void WarmStart(TrialRequest known, TrialSucceeded outcome) => LearnKnown(known, outcome);

    protected override void OnSucceeded(TrialRequest request, TrialSucceeded outcome) =>
        _observations.Add(new Observation(request.TrialId, request.Genotype, outcome.Objective, Measure(request.Genotype, outcome.Metrics)));

    /// <summary>The objective vector a multi-objective subclass ranks by; none for a single-objective search.</summary>
    protected virtual double[] Measure(Genotype genotype, TrialMetrics metrics) => [];

    protected override JsonNode SaveOwnState() => new JsonObject
    {
        ["observations"] = new JsonArray(_observations.Select(o => (JsonNode)new JsonObject
        {
            ["trial"] = o.TrialId,
            ["genotype"] = GenotypeToJson(o.Genotype),
            ["objective"] = o.Objective,
            ["scores"] = ToJsonArray(o.Scores)
        }).ToArray())
    };

    protected override void RestoreOwnState(JsonNode state)
    {
        _observations.Clear();
        _observations.AddRange(state["observations"]!.AsArray().Select(o => new Observation(
            o!["trial"]!.GetValue<int>(), GenotypeFromJson(o["genotype"]!), o["objective"]!.GetValue<double>(), FromJsonArray(o["scores"]!))));
    }

    /// <param name="Objective">the penalised primary objective (larger is better)</param>
    /// <param name="Scores">the objectives a multi-objective subclass ranks by, signed so larger is better (empty otherwise)</param>
    public sealed record Observation(int TrialId, Genotype Genotype, double Objective, IReadOnlyList<double> Scores);
}

/// <param name="StartupTrials">results from uniform random proposals before the model is used (Optuna's n_startup_trials)</param>
/// <param name="Candidates">draws from the good density scored per decision (n_ei_candidates)</param>
/// <param name="PriorWeight">weight of the prior kernel (prior_weight)</param>
/// <param name="ConstantLiar">pending trials count as the worst results in the split (constant_liar)</param>
/// <param name="AvoidRepeats">never propose a genotype already evaluated or running (Optuna has no such option and repeats)</param>
public sealed record TpeOptions(int StartupTrials = 10, int Candidates = 24, double PriorWeight = 1.0, bool ConstantLiar = true, bool AvoidRepeats = true)
{
    public static ParameterTable<TpeOptions> Table { get; } = new ParameterTable<TpeOptions>(new TpeOptions())
        .Int("n_startup_trials", 1, 100_000, o => o.StartupTrials, (o, v) => o with { StartupTrials = v }, "results from random proposals before the model is used")
        .Int("n_ei_candidates", 1, 100_000, o => o.Candidates, (o, v) => o with { Candidates = v }, "draws from the good density scored per decision")
        .Double("prior_weight", 1e-6, 1e6, o => o.PriorWeight, (o, v) => o with { PriorWeight = v }, "weight of the prior kernel in every density")
        .Flag("constant_liar", o => o.ConstantLiar, (o, v) => o with { ConstantLiar = v },
            "1: pending trials count as the worst results, so parallel trainers get different proposals")
        .Flag("avoid_repeats", o => o.AvoidRepeats, (o, v) => o with { AvoidRepeats = v },
            "1: never propose a genotype already evaluated or running (Optuna repeats)");
}
