using NasActors.Core.Strategies.MultiFidelity;
using NasActors.Core.Trials;
using Xunit;
using static NasActors.Core.Tests.Strategies.StrategyTestKit;

namespace NasActors.Core.Tests.Strategies;

public sealed class HyperbandTests
{
    private static Hyperband Create(long seed = 1) => new(Context(seed, epochs: 9), new MultiFidelityOptions(MinEpochs: 1, Eta: 3));

    [Fact]
    public void Ladder_runs_from_min_to_max_epochs_by_factors_of_eta()
    {
        Assert.Equal([1, 3, 9], Create().Ladder.Epochs);
        Assert.Equal([3, 9, 27], new FidelityLadder(new MultiFidelityOptions(MinEpochs: 2, MaxEpochs: 27), new Fidelity(5)).Epochs);
    }

    [Fact]
    public void Promotes_exactly_the_top_third_of_a_rung_as_new_trials_at_eta_times_the_epochs()
    {
        var strategy = Create();
        var first = Enumerable.Range(0, 9).Select(id => strategy.Ask(id)!).ToList();
        Assert.All(first, t => Assert.Equal(1, t.Fidelity.Epochs));
        Assert.Null(strategy.Ask(9)); // rung full: waiting for results

        foreach (var trial in Enumerable.Reverse(first)) strategy.Tell(Succeed(trial, trial.TrialId / 10.0));

        var promoted = Enumerable.Range(10, 3).Select(id => strategy.Ask(id)!).ToList();
        Assert.Equal(first.Skip(6).Select(t => t.Genotype).Reverse(), promoted.Select(t => t.Genotype));
        Assert.All(promoted, t => Assert.Equal(3, t.Fidelity.Epochs));
        Assert.Null(strategy.Ask(13));

        foreach (var trial in promoted) strategy.Tell(Succeed(trial, trial.TrialId));
        var top = strategy.Ask(14)!;
        Assert.Equal(promoted[^1].Genotype, top.Genotype);
        Assert.Equal(9, top.Fidelity.Epochs);
        Assert.Null(strategy.Ask(15));

        strategy.Tell(Succeed(top, 1));
        var nextBracket = Enumerable.Range(16, 5).Select(id => strategy.Ask(id)!).ToList();
        Assert.All(nextBracket, t => Assert.Equal(3, t.Fidelity.Epochs));
        Assert.Null(strategy.Ask(21));
    }

    [Fact]
    public void A_failed_straggler_closes_its_rung_and_is_never_promoted()
    {
        var strategy = Create();
        var first = Enumerable.Range(0, 9).Select(id => strategy.Ask(id)!).ToList();
        foreach (var trial in first.Take(8)) strategy.Tell(Succeed(trial, trial.TrialId));
        Assert.Null(strategy.Ask(9));

        strategy.Tell(new TrialFailedOutcome(first[8].TrialId, "out of memory"));

        var promoted = Enumerable.Range(10, 3).Select(id => strategy.Ask(id)!.Genotype).ToList();
        Assert.Equal([first[7].Genotype, first[6].Genotype, first[5].Genotype], promoted);
    }
}
