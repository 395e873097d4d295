using System.Text.Json.Nodes;
using NasActors.Core.Randomness;

namespace NasActors.Core.Strategies.Reinforcement;

/// <summary>
/// Independent softmax over the choices of each decision (the factorised controller of
/// ENAS/TabNAS-style REINFORCE): π(y) = Π_d softmax(θ_d)[y_d]. Logits start at zero (uniform).
/// </summary>
public sealed class FactorizedSoftmaxPolicy : IPolicy
{
    private readonly double[][] _logits;

    public FactorizedSoftmaxPolicy(IReadOnlyList<int> choices)
    {
        Choices = choices.ToArray();
        _logits = choices.Select(c => new double[c]).ToArray();
    }

    public IReadOnlyList<int> Choices { get; }

    /// <summary>Current logits per decision (read-only copies), e.g. for an actor to persist or a dashboard to show.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Logits => _logits.Select(l => (IReadOnlyList<double>)l.ToArray()).ToArray();

    public double[] Probabilities(int decision) => Softmax(_logits[decision]);

    public int[] Sample(SeededRandom random) =>
        _logits.Select(l => Categorical.Sample(Softmax(l), random)).ToArray();

    public void Ascend(IReadOnlyList<PolicyTerm> terms, double learningRate, double entropyBonus)
    {
        for (var d = 0; d < _logits.Length; d++)
        {
            var p = Softmax(_logits[d]);
            var gradient = new double[p.Length];
            // ∂ log softmax(θ)[y] / ∂θ_k = 1[k = y] − p_k
            foreach (var term in terms)
            {
                if (!term.Active[d]) continue;
                for (var k = 0; k < p.Length; k++)
                    gradient[k] += term.Weight * ((k == term.Choices[d] ? 1 : 0) - p[k]);
            }
            // ∂H/∂θ_k = −p_k (log p_k + H): pushes towards uniform, keeping exploration alive.
            var entropy = -p.Sum(q => q > 0 ? q * Math.Log(q) : 0);
            for (var k = 0; k < p.Length; k++)
                gradient[k] += entropyBonus * -p[k] * ((p[k] > 0 ? Math.Log(p[k]) : 0) + entropy);
            for (var k = 0; k < p.Length; k++) _logits[d][k] += learningRate * gradient[k];
        }
    }

    public bool StoresGradients => true;

    public double[] ScoreFunction(IReadOnlyList<int> choices, IReadOnlyList<bool> active)
    {
        var gradient = new List<double>();
        for (var d = 0; d < _logits.Length; d++)
        {
            var p = Softmax(_logits[d]);
            for (var k = 0; k < p.Length; k++) gradient.Add(active[d] ? (k == choices[d] ? 1 : 0) - p[k] : 0);
        }
        return gradient.ToArray();
    }

    public double[] EntropyGradient()
    {
        var gradient = new List<double>();
        foreach (var logits in _logits)
        {
            var p = Softmax(logits);
            var entropy = -p.Sum(q => q > 0 ? q * Math.Log(q) : 0);
            gradient.AddRange(p.Select(q => -q * ((q > 0 ? Math.Log(q) : 0) + entropy)));
        }
        return gradient.ToArray();
    }

    public void Step(IReadOnlyList<double> direction, double learningRate)
    {
        var i = 0;
        foreach (var logits in _logits)
            for (var k = 0; k < logits.Length; k++) logits[k] += learningRate * direction[i++];
    }

    public JsonNode Save() => new JsonArray(_logits.Select(l => (JsonNode)new JsonArray(l.Select(v => (JsonNode)v).ToArray())).ToArray());

    public void Restore(JsonNode state)
    {
        var rows = state.AsArray();
        for (var d = 0; d < _logits.Length; d++)
            _logits[d] = rows[d]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
    }

    private static double[] Softmax(IReadOnlyList<double> logits) => Categorical.Softmax(logits);
}
