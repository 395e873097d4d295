using System.Text.Json.Nodes;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies.Manas;

/// <summary>
/// MANAS (Carlucci et al. 2019, "MANAS: Multi-Agent Neural Architecture Search"): one
/// <see cref="ManasAgent"/> per decision; the architecture is the joint action of all agents and
/// every agent learns from the one shared reward (the EXP3 form of the paper's MANAS, which needs no
/// least-squares solve). Asynchronous: each Tell updates every agent with the probabilities it had
/// when the trial was sampled. The reward is the objective's rank among recent results
/// (<see cref="RewardRanks"/>) minus ½, in [−½, ½], so the defaults work whatever the objective's scale; centring it on
/// the window's median keeps EXP3's importance-weighted estimates r/π from growing every played arm alike. Continuous decisions become a log-spaced grid; a
/// joint action that breaks a hard constraint is resampled; an agent whose decision did not matter
/// in the trial (a width beyond the depth) learns nothing from it.
/// </summary>
public sealed class ManasSearch : StrategyBase
{
    public const string Name = "manas";
    private const int FeasibleAttempts = 1000;
    private readonly ChoiceGrid _grid;
    private ManasAgent[] _agents;
    private readonly SortedDictionary<int, JointAction> _played = new();
    private readonly RewardRanks _ranks;

    public ManasSearch(StrategyContext context, ManasOptions options) : base(context)
    {
        _grid = new ChoiceGrid(context.Space, options.GridPoints);
        _ranks = new RewardRanks(options.RewardWindow);
        _agents = Space.Decisions.Select((d, i) => new ManasAgent(d.Name, _grid.Choices[i], options.Gamma, options.LearningRate)).ToArray();
    }

    public IReadOnlyList<ManasAgent> Agents => _agents;

    protected override (Genotype Genotype, Fidelity Fidelity)? ProposeTrial(int trialId)
    {
        for (var attempt = 0; attempt < FeasibleAttempts; attempt++)
        {
            var actions = _agents.Select(a => a.Act(Random)).ToArray();
            var genotype = _grid.ToGenotype(actions.Select(a => a.Choice).ToArray());
            if (!Context.IsFeasible(genotype)) continue;
            _played[trialId] = new JointAction(actions.Select(a => a.Choice).ToArray(), actions.Select(a => a.Probability).ToArray());
            return (genotype, ProposeFidelity());
        }
        // The agents favour infeasible corners: play a uniform feasible sample, weighted by the agents' odds of it.
        var fallback = SampleFeasible();
        var choices = _grid.ChoicesOf(fallback);
        _played[trialId] = new JointAction(choices, _agents.Select((a, i) => a.Probabilities()[choices[i]]).ToArray());
        return (fallback, ProposeFidelity());
    }

    protected override void OnSucceeded(TrialRequest request, TrialSucceeded outcome)
    {
        if (!_played.Remove(request.TrialId, out var action)) return;
        // Centred on the window's median: the same expected update order, far less variance in r/π.
        var reward = _ranks.Reward(outcome.Objective) - 0.5;
        var active = _grid.Active(action.Choices);
        for (var i = 0; i < _agents.Length; i++)
            if (active[i]) _agents[i].Learn(action.Choices[i], action.Probabilities[i], reward);
    }

    protected override void OnAbandoned(TrialRequest request) => _played.Remove(request.TrialId);

    protected override JsonNode SaveOwnState() => new JsonObject
    {
        ["agents"] = new JsonArray(_agents.Select(a => a.Save()).ToArray()),
        ["recentObjectives"] = _ranks.Save(),
        ["played"] = new JsonArray(_played.Select(kv => (JsonNode)new JsonObject
        {
            ["trial"] = kv.Key,
            ["choices"] = new JsonArray(kv.Value.Choices.Select(c => (JsonNode)c).ToArray()),
            ["probabilities"] = ToJsonArray(kv.Value.Probabilities)
        }).ToArray())
    };

    protected override void RestoreOwnState(JsonNode state)
    {
        _agents = state["agents"]!.AsArray().Select(a => ManasAgent.Restore(a!)).ToArray();
        _ranks.Restore(state["recentObjectives"]);
        _played.Clear();
        foreach (var p in state["played"]!.AsArray())
            _played[p!["trial"]!.GetValue<int>()] = new JointAction(
                p["choices"]!.AsArray().Select(c => c!.GetValue<int>()).ToArray(), FromJsonArray(p["probabilities"]!));
    }

    private sealed record JointAction(int[] Choices, double[] Probabilities);
}

/// <param name="Gamma">EXP3 exploration rate: the share of uniform play, also setting the step size γ/K</param>
/// <param name="GridPoints">values a continuous decision is discretised into</param>
/// <param name="RewardWindow">recent results a reward is ranked among</param>
/// <param name="LearningRate">EXP3 step η on the log-weights per importance-weighted (centred rank) reward</param>
public sealed record ManasOptions(double Gamma = 0.1, int GridPoints = 8, int RewardWindow = 50, double LearningRate = 0.3)
{
    public static ParameterTable<ManasOptions> Table { get; } = new ParameterTable<ManasOptions>(new ManasOptions())
        .Double("gamma", 1e-4, 1, o => o.Gamma, (o, v) => o with { Gamma = v }, "EXP3 exploration rate: the share of uniform play")
        .Double("learning_rate", 1e-6, 100, o => o.LearningRate, (o, v) => o with { LearningRate = v },
            "EXP3 step on the log-weights per importance-weighted reward")
        .Int("grid", 2, 1000, o => o.GridPoints, (o, v) => o with { GridPoints = v }, "values a continuous decision is discretised into")
        .Int("reward_window", 1, 1_000_000, o => o.RewardWindow, (o, v) => o with { RewardWindow = v }, RewardRanks.WindowHelp);
}
