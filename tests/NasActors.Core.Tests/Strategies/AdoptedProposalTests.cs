using NasActors.Core.Strategies.Tpe;

namespace NasActors.Core.Tests.Strategies;

/// <summary>Replay of recorded decisions (<see cref="StrategyBase.Adopt"/>): the recorded trial, not today's proposal, is what the strategy holds and learns from.</summary>
public sealed class AdoptedProposalTests
{
    [Fact]
    public void An_adopted_trial_is_pending_as_recorded_and_its_outcome_is_learned()
    {
        var strategy = Tpe();
        var wouldPropose = Tpe().Ask(0)!;
        var other = Mlp().Sample(new NasActors.Core.Randomness.SeededRandom(99));
        Assert.NotEqual(wouldPropose.Genotype, other);
        var recorded = new TrialRequest(0, other, new Fidelity(9), Seed: 4242);

        strategy.Adopt(recorded);

        Assert.Equal([0], strategy.Pending);
        strategy.Tell(Succeed(recorded, 0.7));
        Assert.Equal(other, strategy.Observations.Single().Genotype);
        // The random stream advanced as if it had proposed live: the next proposal equals the never-replaced one's.
        wouldPropose = NextAfterOne(Tpe());
        Assert.Equal(wouldPropose.Genotype, strategy.Ask(1)!.Genotype);
        Assert.Throws<InvalidOperationException>(() => strategy.Adopt(recorded));
    }

    /// <summary>The same seeded TPE each time, so a fresh one shows what the adopting one would have proposed.</summary>
    private static TpeSearch Tpe() => new(Context(seed: 3), new TpeOptions(StartupTrials: 2));

    private static TrialRequest NextAfterOne(TpeSearch strategy)
    {
        var first = strategy.Ask(0)!;
        strategy.Tell(Succeed(first, 0.7));
        return strategy.Ask(1)!;
    }
}
