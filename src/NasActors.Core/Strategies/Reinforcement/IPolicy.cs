using System.Text.Json.Nodes;
using NasActors.Core.Randomness;

namespace NasActors.Core.Strategies.Reinforcement;

/// <summary>
/// A controller's stochastic policy over one choice per decision. The seam between the REINFORCE
/// update (here) and the policy's form: <see cref="FactorizedSoftmaxPolicy"/> in Core, an LSTM
/// controller later in the Training project.
/// </summary>
public interface IPolicy
{
    /// <summary>Number of choices of each decision.</summary>
    IReadOnlyList<int> Choices { get; }

    int[] Sample(SeededRandom random);

    /// <summary>
    /// One gradient-ascent step on <c>Σ weight · log π(choices)</c> (over each term's active decisions)
    /// plus <paramref name="entropyBonus"/> · H(π), all gradients taken at the current parameters.
    /// </summary>
    void Ascend(IReadOnlyList<PolicyTerm> terms, double learningRate, double entropyBonus);

    /// <summary>
    /// Whether <see cref="ScoreFunction"/>, <see cref="EntropyGradient"/> and <see cref="Step"/> work: then a
    /// learner can keep a sample's gradient from when it was drawn; otherwise it ascends at arrival.
    /// </summary>
    bool StoresGradients => false;

    /// <summary>
    /// ∇ log π(choices) over the active decisions, at the current parameters, flattened in the
    /// parameter order <see cref="Step"/> uses. Asynchronous learners take it when they sample, so a
    /// late reward moves the policy exactly as it would have when it was sampled.
    /// </summary>
    double[] ScoreFunction(IReadOnlyList<int> choices, IReadOnlyList<bool> active) =>
        throw new NotSupportedException($"{GetType().Name} does not expose its score function");

    /// <summary>∇H(π) at the current parameters, flattened like <see cref="ScoreFunction"/>.</summary>
    double[] EntropyGradient() =>
        throw new NotSupportedException($"{GetType().Name} does not expose its entropy gradient");

    /// <summary>θ += learningRate · direction (a flattened gradient).</summary>
    void Step(IReadOnlyList<double> direction, double learningRate) =>
        throw new NotSupportedException($"{GetType().Name} cannot step along a stored gradient");

    JsonNode Save();

    void Restore(JsonNode state);
}

/// <summary>One sampled joint choice and its weight in the policy gradient; inactive decisions get no gradient.</summary>
public sealed record PolicyTerm(IReadOnlyList<int> Choices, IReadOnlyList<bool> Active, double Weight);
