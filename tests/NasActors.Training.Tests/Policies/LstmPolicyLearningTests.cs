using NasActors.Core.Randomness;
using NasActors.Core.Strategies.Reinforcement;
using NasActors.Training.Policies;

namespace NasActors.Training.Tests.Policies;

/// <summary>The LSTM controller learns from REINFORCE steps: a rewarded choice becomes likely.</summary>
public sealed class LstmPolicyLearningTests
{
    private static readonly int[] Choices = [3, 4, 2];

    [Fact]
    public void Policy_gradient_steps_make_the_rewarded_choice_likely()
    {
        var policy = new LstmPolicy(Choices, seed: 5);
        var random = new SeededRandom(9);
        var before = policy.Probabilities([0, 0, 0])[1][2];
        double? baseline = null;
        for (var step = 0; step < 150; step++)
        {
            // Only decision 1 matters: choice 2 is worth 1, anything else 0.
            var sampled = policy.Sample(random);
            var reward = sampled[1] == 2 ? 1.0 : 0.0;
            var b = baseline ?? reward;
            baseline = 0.9 * b + 0.1 * reward;
            policy.Ascend([new PolicyTerm(sampled, [true, true, true], reward - b)], learningRate: 0.5, entropyBonus: 0);
        }

        // Started near uniform (1/4); must have learned it whatever decision 0 was.
        Assert.InRange(before, 0.15, 0.35);
        for (var first = 0; first < Choices[0]; first++)
            Assert.True(policy.Probabilities([first, 0, 0])[1][2] > 0.8, $"after decision 0 = {first}: {policy.Probabilities([first, 0, 0])[1][2]:0.000}");
    }

    [Fact]
    public void Inactive_decisions_and_zero_weights_change_nothing()
    {
        var policy = new LstmPolicy(Choices, seed: 5);
        var before = policy.Save().ToJsonString();
        policy.Ascend([new PolicyTerm([1, 2, 1], [false, false, false], 1.0)], learningRate: 0.5, entropyBonus: 0);
        policy.Ascend([new PolicyTerm([1, 2, 1], [true, true, true], 0.0)], learningRate: 0.5, entropyBonus: 0);
        Assert.Equal(before, policy.Save().ToJsonString());
    }
}
