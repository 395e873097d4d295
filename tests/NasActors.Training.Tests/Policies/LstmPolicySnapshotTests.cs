using NasActors.Core.Randomness;
using NasActors.Core.Spaces;
using NasActors.Core.Strategies;
using NasActors.Core.Strategies.Reinforcement;
using NasActors.Core.Trials;
using NasActors.Training.Policies;

namespace NasActors.Training.Tests.Policies;

/// <summary>
/// The LSTM policy's state is its weights in the strategy snapshot: the same seed gives the same
/// controller, and a restored one (policy or whole reinforce search) proposes exactly what the original would.
/// </summary>
public sealed class LstmPolicySnapshotTests
{
    private static readonly int[] Choices = [5, 5, 5, 5, 5, 5];

    [Fact]
    public void The_seed_fixes_the_initial_weights()
    {
        Assert.Equal(new LstmPolicy(Choices, 3).Save().ToJsonString(), new LstmPolicy(Choices, 3).Save().ToJsonString());
        Assert.NotEqual(new LstmPolicy(Choices, 3).Save().ToJsonString(), new LstmPolicy(Choices, 4).Save().ToJsonString());
    }

    [Fact]
    public void A_restored_policy_has_the_same_weights_and_samples_the_same()
    {
        var original = new LstmPolicy(Choices, 3);
        var random = new SeededRandom(1);
        for (var i = 0; i < 5; i++)
            original.Ascend([new PolicyTerm(original.Sample(random), Enumerable.Repeat(true, 6).ToArray(), i - 2.0)], 0.3, 0.01);

        var copy = new LstmPolicy(Choices, 99);
        copy.Restore(original.Save());

        Assert.Equal(original.Save().ToJsonString(), copy.Save().ToJsonString());
        var a = new SeededRandom(7);
        var b = new SeededRandom(7);
        for (var i = 0; i < 20; i++) Assert.Equal(original.Sample(a), copy.Sample(b));
    }

    [Fact]
    public void A_restored_reinforce_search_with_the_lstm_controller_continues_with_the_same_proposals()
    {
        var space = new Nb201Space();
        ReinforceSearch Create() => new(new StrategyContext(space, new Fidelity(12), 11), new ReinforceOptions(LearningRate: 0.5),
            new LstmPolicy(Choices, 11));
        var original = Create();
        Drive(original, 0, 10);
        var pending = original.Ask(10)!; // snapshot with a trial still out
        var restored = Create();
        restored.RestoreState(original.SaveState());
        Assert.Equal(original.SaveState(), restored.SaveState());

        foreach (var strategy in new[] { original, restored }) strategy.Tell(Succeed(pending));
        Assert.Equal(Drive(original, 11, 10), Drive(restored, 11, 10));
    }

    private static List<string> Drive(ISearchStrategy strategy, int firstId, int trials)
    {
        var proposed = new List<string>();
        for (var id = firstId; id < firstId + trials; id++)
        {
            var trial = strategy.Ask(id)!;
            proposed.Add($"{trial.Genotype.Canonical}#{trial.Seed}");
            strategy.Tell(Succeed(trial));
        }
        return proposed;
    }

    // A fixed, genotype-only reward: conv-heavy cells score higher.
    private static TrialSucceeded Succeed(TrialRequest trial)
    {
        var score = trial.Genotype.Values.Count(v => v is 2 or 3) / 6.0;
        return new TrialSucceeded(trial.TrialId, new TrialMetrics(score, 1 - score, 0, 1), score);
    }
}
