using System.Text.Json.Nodes;
using NasActors.Core.Randomness;
using NasActors.Core.Spaces;
using NasActors.Core.Strategies.Manas;

namespace NasActors.Core.Strategies.OneShot;

/// <summary>
/// MANAS with weight sharing, the agents' side: one EXP3 <see cref="ManasAgent"/> per categorical decision
/// (per NAS-Bench-201 edge). A round is one joint pick; the caller trains that path on the supernet and
/// returns its reward (validation-batch accuracy, in [0, 1], as in the paper), which every agent learns
/// from with its importance weight r / π(a). The reward is centred on a running mean of the rewards before
/// it: subtracting the same number from every arm's reward moves every log-weight alike in expectation
/// (by η·c), so EXP3's preferences are unchanged, but the variance of r / π — large when an edge's share
/// of a joint reward is small — falls by an order of magnitude. Deterministic for a seed and a sequence of rewards.
/// </summary>
public sealed class ManasEdgeAgents
{
    private readonly SearchSpace _space;
    private readonly SeededRandom _random;
    private readonly ManasAgent[] _agents;
    private const double BaselineDecay = 0.9;
    private double? _baseline;

    public ManasEdgeAgents(SearchSpace space, ManasSupernetOptions options, long seed)
    {
        _space = space;
        _random = new SeededRandom(unchecked(seed * 31 + 0x3a5a));
        _agents = space.Decisions.Select(d => d is CategoricalDecision c
            ? new ManasAgent(d.Name, c.Options.Count, options.Gamma, options.AgentLearningRate)
            : throw new ArgumentException($"weight-sharing MANAS needs categorical decisions; '{d.Name}' is not one")).ToArray();
    }

    public IReadOnlyList<ManasAgent> Agents => _agents;

    public int Rounds { get; private set; }

    /// <summary>One joint pick, rewarded by <paramref name="trainAndReward"/>; returns the path and its reward.</summary>
    public (Genotype Path, double Reward) Round(Func<Genotype, double> trainAndReward)
    {
        var acts = _agents.Select(a => a.Act(_random)).ToArray();
        var path = _space.FromValues(acts.Select(a => (double)a.Choice).ToArray());
        var reward = trainAndReward(path);
        if (!double.IsFinite(reward)) throw new InvalidOperationException($"reward of {path.Canonical} is {reward}");
        var centred = reward - (_baseline ?? reward);
        _baseline = _baseline is { } b ? BaselineDecay * b + (1 - BaselineDecay) * reward : reward;
        for (var i = 0; i < _agents.Length; i++) _agents[i].Learn(acts[i].Choice, acts[i].Probability, centred);
        Rounds++;
        return (path, reward);
    }

    /// <summary>Every agent's favourite choice.</summary>
    public Genotype Best => _space.FromValues(_agents.Select(a => (double)a.Best).ToArray());

    public JsonNode Save() => new JsonObject
    {
        ["baseline"] = _baseline,
        ["agents"] = new JsonArray(_agents.Select(a => a.Save()).ToArray())
    };
}
