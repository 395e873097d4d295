using NasActors.Core.Specs;
using NasActors.Core.Strategies.Curriculum;
using NasActors.Core.Strategies.Reinforcement;
using NasActors.Core.Trials;
using Xunit;
using static NasActors.Core.Tests.Strategies.StrategyTestKit;

namespace NasActors.Core.Tests.Strategies;

/// <summary>Stages, promotions, restrictions and a strategy that keeps learning across them.</summary>
public sealed class CurriculumStrategyTests
{
    private static readonly StageSpec[] Stages =
    [
        new("coarse", 1, 0.25, 6, 2, null, new Dictionary<string, IReadOnlyList<string>> { ["act"] = ["tanh"] }),
        new("refine", 3, 0.5, 4, null, 0.5, null),
        new("final", 9, 1.0, 2, null, null, null)
    ];

    private static (CurriculumStrategy Plan, ReinforceSearch Inner) Plan()
    {
        var inner = new ReinforceSearch(Context(seed: 2), new ReinforceOptions());
        return (new CurriculumStrategy(inner, Mlp(), Stages), inner);
    }

    [Fact]
    public void Each_stage_runs_its_budget_at_its_fidelity_and_starts_with_the_best_of_the_last()
    {
        var (plan, inner) = Plan();
        var space = Mlp();
        var results = new List<(TrialRequest Trial, double Score)>();
        var id = 1;
        while (plan.Ask(id) is { } trial)
        {
            results.Add((trial, Score(trial)));
            plan.Tell(Succeed(trial));
            id++;
        }

        Assert.Equal(12, results.Count);
        Assert.Equal([1, 1, 1, 1, 1, 1, 3, 3, 3, 3, 9, 9], results.Select(r => r.Trial.Fidelity.Epochs));
        Assert.All(results.Take(6), r => Assert.Equal("tanh", space.Activation(r.Trial.Genotype)));
        var bestOfCoarse = results.Take(6).OrderByDescending(r => r.Score).Take(2).Select(r => r.Trial.Genotype.Canonical);
        Assert.Equal(bestOfCoarse, results.Skip(6).Take(2).Select(r => r.Trial.Genotype.Canonical));
        var bestOfRefine = results.Skip(6).Take(4).OrderByDescending(r => r.Score).First().Trial.Genotype.Canonical;
        Assert.Equal(bestOfRefine, results[10].Trial.Genotype.Canonical);
        // The controller learned from its own proposals across stages: 6 in coarse, 2 in refine (besides
        // 2 promotions); final is all promotions (top half of refine's 4), which are not its proposals.
        Assert.Equal(6 + 2, inner.PolicyVersion);
        Assert.Equal(new CurriculumProgress(3, 3, "final", 2, 2), plan.Progress);
    }

    [Fact]
    public void The_next_stage_waits_for_the_stragglers_of_this_one_and_a_failure_is_replaced()
    {
        var (plan, _) = Plan();
        var trials = Enumerable.Range(1, 6).Select(i => plan.Ask(i)!).ToArray();
        Assert.Null(plan.Ask(7));
        plan.Tell(new TrialFailedOutcome(trials[0].TrialId, "boom"));
        var replacement = plan.Ask(7)!;
        Assert.Equal(1, replacement.Fidelity.Epochs);
        foreach (var t in trials.Skip(1).Append(replacement)) plan.Tell(Succeed(t));
        Assert.Equal(3, plan.Ask(8)!.Fidelity.Epochs);
        Assert.Equal(2, plan.Progress.Stage);
    }

    [Fact]
    public void A_restored_plan_continues_mid_stage_exactly_as_the_original()
    {
        var (plan, _) = Plan();
        for (var i = 1; i <= 8; i++)
        {
            var trial = plan.Ask(i)!;
            if (i != 7) plan.Tell(Succeed(trial)); // 7 stays in flight
        }
        var (copy, _) = Plan();
        copy.RestoreState(plan.SaveState());

        Assert.Equal(plan.Progress, copy.Progress);
        Assert.Equal(plan.Pending, copy.Pending);
        for (var i = 9; i <= 10; i++) Assert.Equal(plan.Ask(i)!.Genotype, copy.Ask(i)!.Genotype);
    }
}
