using System.Text.Json.Nodes;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies.Reinforcement;

/// <summary>
/// REINFORCE controller (Williams 1992; Zoph &amp; Le 2017) with TabNAS rejection sampling (Yu et al. 2022).
/// Each Tell applies one asynchronous policy-gradient step with the reward minus a moving-average
/// baseline, plus an entropy bonus. The reward is the objective's rank among recent results
/// (<see cref="RewardRanks"/>), in [0, 1], so one step size serves accuracy, loss, latency and penalised objectives. Continuous decisions are discretised onto a log-spaced grid of
/// <see cref="ReinforceOptions.GridPoints"/> values, so one softmax serves every decision.
/// <para>
/// Hard constraints: architectures are sampled from π until feasible, i.e. from π(y | F) = π(y) / P(F).
/// Its score function is ∇log π(y) − ∇log P(F); following TabNAS, ∇log P(F) is estimated by Monte-Carlo
/// as the mean score function of the feasible ones among <see cref="ReinforceOptions.FeasibilitySamples"/>
/// fresh samples. When all of them are feasible the estimate is pure noise around P(F) = 1 and is skipped.
/// </para>
/// <para>
/// Staleness: the policy version counts updates; a reward whose trial was sampled
/// <c>lag</c> versions ago is weighted <see cref="ReinforceOptions.StalenessDecay"/>^lag and dropped
/// beyond <see cref="ReinforceOptions.MaxStaleness"/>. With <see cref="ReinforceOptions.SampledGradients"/>
/// (and a policy that stores gradients) the score function, the entropy gradient and the
/// baseline are taken when a trial is sampled (as an asynchronous worker computes its gradient on the
/// parameters it had), and so are the recent results its reward is ranked against: rewards accepted with
/// weight 1 commute: delivered in any order they give the same policy. Only the TabNAS correction, a fresh Monte-Carlo estimate, uses the current policy.
/// </para>
/// </summary>
public sealed class ReinforceSearch : StrategyBase
{
    public const string Name = "reinforce";
    private const int FeasibleAttempts = 1000;
    private readonly ReinforceOptions _options;
    private readonly ChoiceGrid _grid;
    private readonly IPolicy _policy;
    private readonly SortedDictionary<int, Sampled> _sampled = new();
    private readonly RewardRanks _ranks;
    private double? _baseline;

    public ReinforceSearch(StrategyContext context, ReinforceOptions options, IPolicy? policy = null) : base(context)
    {
        _options = options;
        _grid = new ChoiceGrid(context.Space, options.GridPoints);
        _ranks = new RewardRanks(options.RewardWindow);
        _policy = policy ?? new FactorizedSoftmaxPolicy(_grid.Choices);
        if (!_policy.Choices.SequenceEqual(_grid.Choices))
            throw new ArgumentException("the policy's choices do not match the space's decisions", nameof(policy));
    }

    /// <summary>The policy, for reading (an actor persisting it, a dashboard); mutate only through Tell.</summary>
    public IPolicy Policy => _policy;

    /// <summary>Number of updates applied so far.</summary>
    public int PolicyVersion { get; private set; }

    public double? Baseline => _baseline;

    /// <summary>The policy version trial <paramref name="trialId"/> was sampled at, while it is pending.</summary>
    public int? SampledAtVersion(int trialId) => _sampled.TryGetValue(trialId, out var s) ? s.Version : null;

    protected override (Genotype Genotype, Fidelity Fidelity)? ProposeTrial(int trialId)
    {
        for (var attempt = 0; attempt < FeasibleAttempts; attempt++)
        {
            var choices = _policy.Sample(Random);
            var genotype = _grid.ToGenotype(choices);
            if (!Context.IsFeasible(genotype)) continue;
            _sampled[trialId] = Sample(choices);
            return (genotype, ProposeFidelity());
        }
        // The policy has collapsed onto infeasible regions: fall back to a uniform feasible sample.
        var fallback = SampleFeasible();
        _sampled[trialId] = Sample(_grid.ChoicesOf(fallback));
        return (fallback, ProposeFidelity());
    }

    protected override void OnSucceeded(TrialRequest request, TrialSucceeded outcome)
    {
        if (!_sampled.Remove(request.TrialId, out var sampled)) return;
        var lag = PolicyVersion - sampled.Version;
        if (lag > _options.MaxStaleness) return;
        if (sampled.Score is null)
        {
            AscendAtArrival(sampled, _ranks.Reward(outcome.Objective), lag);
            return;
        }
        // Ranked against the results known when the trial was sampled, like its baseline, so rewards still commute.
        var reward = RewardRanks.Rank(outcome.Objective, sampled.RankedAgainst!);
        _ranks.Add(outcome.Objective);
        _baseline = _options.BaselineDecay * (_baseline ?? reward) + (1 - _options.BaselineDecay) * reward;
        // The baseline the trial was sampled under (none yet: the raw reward is the signal).
        var weight = Math.Pow(_options.StalenessDecay, lag) * (reward - (sampled.Baseline ?? 0));
        var direction = new double[sampled.Score.Length];
        for (var i = 0; i < direction.Length; i++) direction[i] = weight * sampled.Score[i] + _options.EntropyBonus * sampled.Entropy![i];
        foreach (var term in FeasibleMassCorrection(weight))
        {
            var score = _policy.ScoreFunction(term.Choices, term.Active);
            for (var i = 0; i < direction.Length; i++) direction[i] += term.Weight * score[i];
        }
        _policy.Step(direction, _options.LearningRate);
        PolicyVersion++;
    }

    /// <summary>A policy that cannot keep gradients (the LSTM) takes one step at its current parameters, with the current baseline.</summary>
    private void AscendAtArrival(Sampled sampled, double reward, int lag)
    {
        var baseline = _baseline ?? reward;
        _baseline = _options.BaselineDecay * baseline + (1 - _options.BaselineDecay) * reward;
        var weight = Math.Pow(_options.StalenessDecay, lag) * (reward - baseline);
        var terms = new List<PolicyTerm> { new(sampled.Choices, _grid.Active(sampled.Choices), weight) };
        terms.AddRange(FeasibleMassCorrection(weight));
        _policy.Ascend(terms, _options.LearningRate, _options.EntropyBonus);
        PolicyVersion++;
    }

    private Sampled Sample(int[] choices) => _options.SampledGradients && _policy.StoresGradients
        ? new(choices, PolicyVersion, _baseline, _policy.ScoreFunction(choices, _grid.Active(choices)), _policy.EntropyGradient(), _ranks.Others())
        : new(choices, PolicyVersion, _baseline, null, null, null);

    /// <summary>−weight · mean over feasible samples of ∇log π: the Monte-Carlo ∇log P(F) term of TabNAS.</summary>
    private IEnumerable<PolicyTerm> FeasibleMassCorrection(double weight)
    {
        var feasible = new List<int[]>();
        for (var i = 0; i < _options.FeasibilitySamples; i++)
        {
            var choices = _policy.Sample(Random);
            if (Context.IsFeasible(_grid.ToGenotype(choices))) feasible.Add(choices);
        }
        if (feasible.Count == 0 || feasible.Count == _options.FeasibilitySamples) return [];
        return feasible.Select(c => new PolicyTerm(c, _grid.Active(c), -weight / feasible.Count));
    }

    protected override void OnAbandoned(TrialRequest request) => _sampled.Remove(request.TrialId);

    protected override JsonNode SaveOwnState() => new JsonObject
    {
        ["policy"] = _policy.Save(),
        ["version"] = PolicyVersion,
        ["baseline"] = _baseline,
        ["recentObjectives"] = _ranks.Save(),
        ["sampled"] = new JsonArray(_sampled.Select(kv => (JsonNode)new JsonObject
        {
            ["trial"] = kv.Key,
            ["version"] = kv.Value.Version,
            ["choices"] = new JsonArray(kv.Value.Choices.Select(c => (JsonNode)c).ToArray()),
            ["baseline"] = kv.Value.Baseline,
            ["score"] = kv.Value.Score is { } score ? ToJsonArray(score) : null,
            ["entropy"] = kv.Value.Entropy is { } entropy ? ToJsonArray(entropy) : null,
            ["rankedAgainst"] = kv.Value.RankedAgainst is { } others ? ToJsonArray(others) : null
        }).ToArray())
    };

    protected override void RestoreOwnState(JsonNode state)
    {
        _policy.Restore(state["policy"]!);
        PolicyVersion = state["version"]!.GetValue<int>();
        _baseline = state["baseline"]?.GetValue<double>();
        _ranks.Restore(state["recentObjectives"]);
        _sampled.Clear();
        foreach (var s in state["sampled"]!.AsArray())
        {
            var choices = s!["choices"]!.AsArray().Select(c => c!.GetValue<int>()).ToArray();
            // Snapshots from before gradients were kept per sample have no "score" key: take them at the restored policy.
            _sampled[s["trial"]!.GetValue<int>()] = s.AsObject().ContainsKey("score")
                ? new Sampled(choices, s["version"]!.GetValue<int>(), s["baseline"]?.GetValue<double>(),
                    s["score"] is { } score ? FromJsonArray(score) : null, s["entropy"] is { } entropy ? FromJsonArray(entropy) : null,
                    s["score"] is null ? null : s["rankedAgainst"] is { } others ? FromJsonArray(others) : _ranks.Others())
                : Sample(choices) with { Version = s["version"]!.GetValue<int>(), Baseline = _baseline };
        }
    }

    /// <param name="RankedAgainst">with sampled gradients: the recent objectives its reward is ranked against</param>
    private sealed record Sampled(int[] Choices, int Version, double? Baseline, double[]? Score, double[]? Entropy, double[]? RankedAgainst);
}

/// <param name="LearningRate">step size of the policy-gradient ascent on the logits (rewards are ranks in [0, 1])</param>
/// <param name="EntropyBonus">weight of the policy's entropy in the objective</param>
/// <param name="BaselineDecay">moving-average factor of the reward baseline</param>
/// <param name="GridPoints">values a continuous decision is discretised into</param>
/// <param name="FeasibilitySamples">Monte-Carlo samples estimating the feasible mass per update</param>
/// <param name="MaxStaleness">rewards sampled more policy versions ago than this are dropped</param>
/// <param name="StalenessDecay">a reward sampled <c>lag</c> versions ago is weighted decay^lag</param>
/// <param name="SampledGradients">
/// take a trial's score function, entropy gradient and baseline when it is sampled (rewards accepted with
/// weight 1 then commute: out of order they give the in-order policy); off: at the reward's arrival
/// </param>
/// <param name="RewardWindow">recent results a reward is ranked among</param>
public sealed record ReinforceOptions(
    double LearningRate = 0.5,
    double EntropyBonus = 0.01,
    double BaselineDecay = 0.9,
    int GridPoints = 8,
    int FeasibilitySamples = 32,
    int MaxStaleness = 1000,
    double StalenessDecay = 1.0,
    bool SampledGradients = false,
    int RewardWindow = 50)
{
    public static ParameterTable<ReinforceOptions> Table { get; } = new ParameterTable<ReinforceOptions>(new ReinforceOptions())
        .Double("learning_rate", 1e-6, 100, o => o.LearningRate, (o, v) => o with { LearningRate = v },
            "policy-gradient step size (rewards are ranks in [0, 1])")
        .Double("entropy_bonus", 0, 10, o => o.EntropyBonus, (o, v) => o with { EntropyBonus = v }, "weight of the policy entropy")
        .Double("baseline_decay", 0, 1, o => o.BaselineDecay, (o, v) => o with { BaselineDecay = v }, "moving-average factor of the reward baseline")
        .Int("grid", 2, 1000, o => o.GridPoints, (o, v) => o with { GridPoints = v }, "values a continuous decision is discretised into")
        .Int("feasibility_samples", 1, 100_000, o => o.FeasibilitySamples, (o, v) => o with { FeasibilitySamples = v },
            "Monte-Carlo samples estimating the feasible mass")
        .Int("max_staleness", 0, 1_000_000, o => o.MaxStaleness, (o, v) => o with { MaxStaleness = v }, "drop rewards sampled more policy versions ago")
        .Double("staleness_decay", 0, 1, o => o.StalenessDecay, (o, v) => o with { StalenessDecay = v }, "weight decay^lag of a stale reward")
        .Flag("sampled_gradients", o => o.SampledGradients, (o, v) => o with { SampledGradients = v },
            "1: gradient and baseline from when a trial was sampled, so out-of-order rewards commute")
        .Int("reward_window", 1, 1_000_000, o => o.RewardWindow, (o, v) => o with { RewardWindow = v }, RewardRanks.WindowHelp);
}
