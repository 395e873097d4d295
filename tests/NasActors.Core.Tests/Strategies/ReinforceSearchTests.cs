using NasActors.Core.Strategies.Reinforcement;

namespace NasActors.Core.Tests.Strategies;

public sealed class ReinforceSearchTests
{
    [Fact]
    public void Policy_moves_probability_towards_the_rewarded_choice()
    {
        var space = Mlp();
        var strategy = new ReinforceSearch(Context(seed: 3), new ReinforceOptions(LearningRate: 1.0));
        var act = space.IndexOf("act");
        var gelu = 1;

        Run(strategy, 150, t => space.Activation(t.Genotype) == "gelu" ? 1 : 0);

        var policy = (FactorizedSoftmaxPolicy)strategy.Policy;
        Assert.True(policy.Probabilities(act)[gelu] > 0.7, $"p(gelu) = {policy.Probabilities(act)[gelu]}");
        Assert.Equal(150, strategy.PolicyVersion);
    }

    [Fact]
    public void Rejection_sampling_only_proposes_feasible_architectures_and_still_learns()
    {
        var space = Mlp();
        var context = Context(seed: 4, maxParameters: 3_000);
        var strategy = new ReinforceSearch(context, new ReinforceOptions(LearningRate: 1.0));
        var act = space.IndexOf("act");

        var results = Run(strategy, 100, t => space.Activation(t.Genotype) == "tanh" ? 1 : 0);

        Assert.All(results, r => Assert.True(context.IsFeasible(r.Trial.Genotype)));
        Assert.True(((FactorizedSoftmaxPolicy)strategy.Policy).Probabilities(act)[2] > 0.6);
    }

    [Fact]
    public void Rewards_older_than_max_staleness_are_dropped()
    {
        var strategy = new ReinforceSearch(Context(), new ReinforceOptions(MaxStaleness: 0));
        var first = strategy.Ask(0)!;
        var second = strategy.Ask(1)!;
        Assert.Equal(0, strategy.SampledAtVersion(1));

        strategy.Tell(Succeed(first, 0.9));
        strategy.Tell(Succeed(second, 0.1)); // sampled at version 0, now version 1: lag 1 > 0

        Assert.Equal(1, strategy.PolicyVersion);
        Assert.Equal(0.5, strategy.Baseline); // the rank of the only reward taken
    }

    [Fact]
    public void Stale_rewards_are_down_weighted_by_decay_to_the_lag()
    {
        // Same rewards, told late: with decay 0 the late reward moves nothing but the baseline.
        var decayed = new ReinforceSearch(Context(), new ReinforceOptions(StalenessDecay: 0, EntropyBonus: 0));
        var a = decayed.Ask(0)!; var b = decayed.Ask(1)!;
        decayed.Tell(Succeed(a, 0.5));
        var before = ((FactorizedSoftmaxPolicy)decayed.Policy).Logits;
        decayed.Tell(Succeed(b, 1.0));

        Assert.Equal(before, ((FactorizedSoftmaxPolicy)decayed.Policy).Logits);
        Assert.Equal(2, decayed.PolicyVersion);
    }

    [Fact]
    public void Failed_and_cancelled_trials_leave_the_policy_unchanged()
    {
        var strategy = new ReinforceSearch(Context(), new ReinforceOptions());
        strategy.Tell(new TrialFailedOutcome(strategy.Ask(0)!.TrialId, "boom"));
        strategy.Tell(new TrialCancelledOutcome(strategy.Ask(1)!.TrialId));

        Assert.Equal(0, strategy.PolicyVersion);
        Assert.Null(strategy.SampledAtVersion(0));
        Assert.Empty(strategy.Pending);
    }

    [Fact]
    public void With_sampled_gradients_rank_rewards_commute()
    {
        double[][] Logits(int[] order)
        {
            var strategy = new ReinforceSearch(Context(seed: 4), new ReinforceOptions(SampledGradients: true));
            Run(strategy, 5); // a window of results to rank against
            var trials = Enumerable.Range(100, 6).Select(id => strategy.Ask(id)!).ToArray();
            foreach (var i in order) strategy.Tell(Succeed(trials[i], 0.1 * i));
            return ((FactorizedSoftmaxPolicy)strategy.Policy).Logits.Select(l => l.ToArray()).ToArray();
        }

        var inOrder = Logits([0, 1, 2, 3, 4, 5]);
        var shuffled = Logits([4, 1, 5, 0, 3, 2]);
        Assert.Equal(inOrder.SelectMany(l => l), shuffled.SelectMany(l => l), (a, b) => Math.Abs(a - b) < 1e-12);
    }
}
