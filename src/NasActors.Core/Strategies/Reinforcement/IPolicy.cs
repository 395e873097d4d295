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

    JsonNode Save();

    void Restore(JsonNode state);
}

/// <summary>One sampled joint choice and its weight in the policy gradient; inactive decisions get no gradient.</summary>
public sealed record PolicyTerm(IReadOnlyList<int> Choices, IReadOnlyList<bool> Active, double Weight);
