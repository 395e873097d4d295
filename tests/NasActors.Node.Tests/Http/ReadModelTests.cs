using NasActors.Node.Http;

namespace NasActors.Node.Tests.Http;

/// <summary>The dashboard's pure parts: the trial query (filter, sort, page, bad arguments) and the Pareto front.</summary>
public sealed class ReadModelTests
{
    private static TrialRow Trial(int id, string state, double? objective = null, double[]? objectives = null) => new(
        id, state, $"arch-{id}", objective, objective, null, null, null, "t0", 1, null, null, [], objectives, null, null);

    private static readonly TrialRow[] Trials =
    [
        Trial(1, "completed", 0.5), Trial(2, "failed"), Trial(3, "completed", 0.9), Trial(4, "leased"), Trial(5, "completed", 0.7)
    ];

    [Fact]
    public void Sorts_by_objective_descending_with_unfinished_trials_last()
    {
        var (page, error) = new TrialQuery(null, "objective", true, 1, 10).Apply(Trials);
        Assert.Null(error);
        Assert.Equal([3, 5, 1, 2, 4], page!.Trials.Select(t => t.TrialId));
        Assert.Equal(5, page.Total);
    }

    [Fact]
    public void Filters_by_states_and_pages()
    {
        var (page, _) = new TrialQuery("completed, failed", "trial", false, 2, 2).Apply(Trials);
        Assert.Equal(4, page!.Total);
        Assert.Equal([3, 5], page.Trials.Select(t => t.TrialId));
    }

    [Theory]
    [InlineData("colour", 1, 10, "sort must be one of")]
    [InlineData("trial", 0, 10, "page must be 1 or more, not 0")]
    [InlineData("trial", 1, 5000, "size must be between 1 and 1000, not 5000")]
    public void Bad_arguments_are_named(string sort, int pageNumber, int size, string expected)
    {
        var (page, error) = new TrialQuery(null, sort, false, pageNumber, size).Apply(Trials);
        Assert.Null(page);
        Assert.StartsWith(expected, error);
    }

    [Fact]
    public void Pareto_front_keeps_the_non_dominated_and_measures_their_hypervolume()
    {
        // Objectives: accuracy (maximise), params (minimise). Trial 3 is dominated by trial 1. Trial 5 breaks a soft limit:
        // it is on the front, but the hypervolume (as `nas status` reports it) counts only trials within every soft limit,
        // so neither its box nor its 400 params (which would move the reference) count.
        var view = new SearchView(
            new SearchSummary("s", "s", "Finished", 5, 5, 0, 0, 0, 0, 0, 0, 1, 0.9, null, null),
            [
                Trial(1, "completed", 0.9, [0.9, 100]), Trial(2, "completed", 0.8, [0.8, 50]),
                Trial(3, "completed", 0.7, [0.7, 200]), Trial(4, "completed", 0.6, [0.6, 10]),
                Trial(5, "completed", 0.95, [0.95, 400]) with { WithinSoftLimits = false }
            ],
            [], [], [new ObjectiveInfo("val_accuracy", true), new ObjectiveInfo("params", false)], []);

        var pareto = ParetoFront.Of(view);

        Assert.Equal([1, 2, 4, 5], pareto.Front.Select(p => p.TrialId));
        Assert.Equal(5, pareto.All.Count);
        // Scores (acc, -params); reference = worst - 10% of range: (0.6 - 0.03, -200 - 19) = (0.57, -219).
        // Sweep by accuracy: (0.9-0.57)*(-100+219) + (0.8-0.57)*(-50+100) + (0.6-0.57)*(-10+50).
        var expected = 0.33 * 119 + 0.23 * 50 + 0.03 * 40;
        Assert.Equal(expected, pareto.Hypervolume!.Value, 9);
        Assert.Equal([("val_accuracy", true, 0.57), ("params", false, 219.0)],
            pareto.Reference!.Select(r => (r.Metric, r.Maximise, Math.Round(r.Value, 9))));
    }

    [Fact]
    public void Importance_is_each_decisions_share_of_the_objectives_variance()
    {
        // The objective follows depth alone (1 → 0.5, 2 → 0.9); the activation alternates independently of it.
        TrialRow Row(int id, string depth, string activation, double objective, string state = "completed") => new(
            id, state, $"arch-{id}", objective, objective, null, null, null, "t0", 1, null, null,
            [new DecisionValue(depth, depth == "1" ? 0.25 : 0.75), new DecisionValue(activation, activation == "relu" ? 0.25 : 0.75)], null, null, null);
        var view = new SearchView(new SearchSummary("s", "s", "Finished", 5, 4, 0, 0, 0, 0, 0, 0, 2, 0.9, null, null),
            [Row(1, "1", "relu", 0.5), Row(2, "2", "relu", 0.9), Row(3, "1", "tanh", 0.5), Row(4, "2", "tanh", 0.9), Row(5, "1", "relu", 0.0, "failed")],
            [], [], [new ObjectiveInfo("val_accuracy", true)],
            [new DecisionInfo("depth", 2, ["1", "2"]), new DecisionInfo("activation", 2, ["relu", "tanh"])]);

        var importance = HyperparameterImportance.Of(view);

        Assert.Equal(["depth", "activation"], importance.Select(d => d.Decision));
        Assert.Equal(1.0, importance[0].Importance, 9);
        Assert.Equal(0.0, importance[1].Importance, 9);
        Assert.Equal(2, importance[0].ValuesSeen);
    }

    [Fact]
    public void Importance_needs_three_completed_trials()
    {
        var view = new SearchView(new SearchSummary("s", "s", "Running", 5, 2, 0, 0, 0, 0, 0, 0, 1, 0.9, null, null),
            [Trial(1, "completed", 0.9) with { Decisions = [new DecisionValue("1", 0)] }, Trial(2, "completed", 0.1) with { Decisions = [new DecisionValue("2", 1)] }],
            [], [], [new ObjectiveInfo("val_accuracy", true)], [new DecisionInfo("depth", 2, ["1", "2"])]);
        Assert.Equal(0.0, HyperparameterImportance.Of(view).Single().Importance);
    }
}
