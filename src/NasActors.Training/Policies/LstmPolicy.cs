using System.Text.Json.Nodes;
using NasActors.Core.Randomness;
using NasActors.Core.Strategies;
using NasActors.Core.Strategies.Reinforcement;
using NasActors.Training.Models;
using static TorchSharp.torch;

namespace NasActors.Training.Policies;

/// <summary>
/// An LSTM controller behind Core's <see cref="IPolicy"/> (spec: <c>controller: lstm</c>): decisions are
/// sampled in order, each conditioned on the earlier ones through the LSTM state. Sampling draws from the
/// strategy's <see cref="SeededRandom"/>, and the initial weights from a generator seeded by the search, so
/// a seed fixes every proposal. <see cref="Ascend"/> is one plain gradient-ascent step (step size = the
/// strategy's learning rate, as for the factorised policy). The snapshot holds every weight as base64 of
/// its float32 bytes, so a restored policy is bit-identical.
/// </summary>
public sealed class LstmPolicy : IPolicy
{
    public const string Name = "lstm";
    public const int DefaultHidden = 32;
    private readonly LstmController _controller;
    private readonly int[] _choices;

    public LstmPolicy(IReadOnlyList<int> choices, long seed, int hidden = DefaultHidden)
    {
        _choices = choices.ToArray();
        using var generator = new Generator(unchecked((ulong)seed));
        _controller = new LstmController(_choices, hidden, generator);
    }

    public IReadOnlyList<int> Choices => _choices;

    public int[] Sample(SeededRandom random)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var sampled = new int[_choices.Length];
        (Tensor H, Tensor C)? state = null;
        for (var d = 0; d < _choices.Length; d++)
        {
            var logits = _controller.Step(d, d == 0 ? null : sampled[d - 1], ref state);
            sampled[d] = Categorical.Sample(ToDoubles(logits.softmax(0)), random);
        }
        return sampled;
    }

    /// <summary>Each decision's distribution when the earlier decisions took <paramref name="choices"/> (for tests and dashboards).</summary>
    public double[][] Probabilities(IReadOnlyList<int> choices)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return _controller.LogProbabilities(choices).Select(l => ToDoubles(l.exp())).ToArray();
    }

    /// <summary>
    /// Ascends Σ weight · Σ_active log π(choice_d | earlier choices) plus <paramref name="entropyBonus"/> times
    /// the summed per-decision entropy along the first term's choices (the rewarded sample, as in ENAS: the
    /// joint entropy of an autoregressive policy has no closed form).
    /// </summary>
    public void Ascend(IReadOnlyList<PolicyTerm> terms, double learningRate, double entropyBonus)
    {
        if (terms.Count == 0) return;
        using var scope = NewDisposeScope();
        _controller.zero_grad();
        var objective = zeros(1);
        foreach (var term in terms)
        {
            var logProbabilities = _controller.LogProbabilities(term.Choices);
            for (var d = 0; d < _choices.Length; d++)
                if (term.Active[d]) objective = objective + term.Weight * logProbabilities[d][term.Choices[d]];
            if (term != terms[0] || entropyBonus == 0) continue;
            foreach (var l in logProbabilities) objective = objective - entropyBonus * (l.exp() * l).sum();
        }
        // Only inactive decisions and no entropy bonus: nothing depends on the weights, so no step.
        if (!objective.requires_grad) return;
        objective.sum().backward();
        using var _ = no_grad();
        foreach (var p in _controller.parameters())
            if (p.grad is { } gradient) p.add_(gradient, alpha: learningRate);
    }

    public JsonNode Save()
    {
        var weights = new JsonObject();
        foreach (var (name, p) in _controller.named_parameters())
        {
            var values = p.data<float>().ToArray();
            var bytes = new byte[values.Length * sizeof(float)];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            weights[name] = Convert.ToBase64String(bytes);
        }
        return new JsonObject { ["controller"] = Name, ["weights"] = weights };
    }

    public void Restore(JsonNode state)
    {
        var weights = state["weights"]?.AsObject() ?? throw new FormatException("an lstm policy snapshot needs 'weights'");
        using var _ = no_grad();
        foreach (var (name, p) in _controller.named_parameters())
        {
            var bytes = Convert.FromBase64String(weights[name]?.GetValue<string>() ?? throw new FormatException($"lstm policy snapshot lacks weight '{name}'"));
            if (bytes.Length != p.numel() * sizeof(float))
                throw new FormatException($"lstm policy weight '{name}' has {bytes.Length / sizeof(float)} values, the controller {p.numel()}");
            var values = new float[p.numel()];
            Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
            p.copy_(tensor(values).reshape(p.shape));
        }
    }

    private static double[] ToDoubles(Tensor probabilities) => probabilities.data<float>().Select(v => (double)v).ToArray();
}
