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
    public void Promotes_exactly_the_top_third_of_a_rung_continuing_their_trials_at_eta_times_the_epochs()
    {
        var strategy = Create();
        var first = Enumerable.Range(0, 9).Select(id => strategy.Ask(id)!).ToList();
        Assert.All(first, t => Assert.Equal(1, t.Fidelity.Epochs));

        foreach (var trial in Enumerable.Reverse(first)) strategy.Tell(Succeed(trial, trial.TrialId / 10.0));

        var promoted = Enumerable.Range(10, 3).Select(id => strategy.Ask(id)!).ToList();
        Assert.Equal(first.Skip(6).Select(t => (t.Genotype, t.Seed)).Reverse(), promoted.Select(t => (t.Genotype, t.Seed)));
        Assert.All(promoted, t => Assert.Equal(3, t.Fidelity.Epochs));

        foreach (var trial in promoted) strategy.Tell(Succeed(trial, trial.TrialId));
        var top = strategy.Ask(14)!;
        Assert.Equal((promoted[^1].Genotype, promoted[^1].Seed), (top.Genotype, top.Seed));
        Assert.Equal(9, top.Fidelity.Epochs);

        strategy.Tell(Succeed(top, 1));
        var nextBracket = Enumerable.Range(16, 5).Select(id => strategy.Ask(id)!).ToList();
        Assert.All(nextBracket, t => Assert.Equal(3, t.Fidelity.Epochs));
    }

    [Fact]
    public void While_a_rung_waits_for_stragglers_the_next_bracket_starts_so_no_trainer_idles()
    {
        var strategy = Create();
        var first = Enumerable.Range(0, 9).Select(id => strategy.Ask(id)!).ToList();
        foreach (var trial in first.Take(8)) strategy.Tell(Succeed(trial, trial.TrialId));

        // Bracket 2's first rung waits for trial 8: bracket 1 (5 configurations at 3 epochs) opens.
        var second = Enumerable.Range(9, 5).Select(id => strategy.Ask(id)!).ToList();
        Assert.All(second, t => Assert.Equal(3, t.Fidelity.Epochs));
        Assert.Equal([2, 1], strategy.Schedule.OpenBrackets);

        // Once the straggler reports, the older bracket's promotions are served first.
        strategy.Tell(Succeed(first[8], 100));
        var promoted = strategy.Ask(14)!;
        Assert.Equal((first[8].Genotype, first[8].Seed, 3), (promoted.Genotype, promoted.Seed, promoted.Fidelity.Epochs));
    }

    [Fact]
    public void A_snapshot_from_before_concurrent_brackets_restores_as_its_one_open_bracket()
    {
        var strategy = Create();
        var first = Enumerable.Range(0, 9).Select(id => strategy.Ask(id)!).ToList();
        foreach (var trial in first.Take(8)) strategy.Tell(Succeed(trial, trial.TrialId));
        // The old schedule's fields sat at the top level of "strategy" (no "brackets" array).
        var state = System.Text.Json.Nodes.JsonNode.Parse(strategy.SaveState())!;
        var bracket = state["strategy"]!["brackets"]![0]!.DeepClone().AsObject();
        bracket.Remove("promotedSeeds");
        foreach (var c in bracket["current"]!.AsArray()) c!.AsObject().Remove("seed");
        state["strategy"] = bracket;

        var restored = Create();
        restored.RestoreState(state.ToJsonString());
        restored.Tell(Succeed(first[8], 100));

        var promoted = restored.Ask(9)!;
        Assert.Equal((first[8].Genotype, 3), (promoted.Genotype, promoted.Fidelity.Epochs));
    }

    [Fact]
    public void A_failed_straggler_closes_its_rung_and_is_never_promoted()
    {
        var strategy = Create();
        var first = Enumerable.Range(0, 9).Select(id => strategy.Ask(id)!).ToList();
        foreach (var trial in first.Take(8)) strategy.Tell(Succeed(trial, trial.TrialId));

        strategy.Tell(new TrialFailedOutcome(first[8].TrialId, "out of memory"));

        var promoted = Enumerable.Range(10, 3).Select(id => strategy.Ask(id)!.Genotype).ToList();
        Assert.Equal([first[7].Genotype, first[6].Genotype, first[5].Genotype], promoted);
    }
}
