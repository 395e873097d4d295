using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Engine.Tests.Support;
using static NasActors.Engine.Searches.SearchEvents;

namespace NasActors.Engine.Tests.Searches;

/// <summary>`nas admin search budget|priority`: decided by the state, recorded as events, kept by snapshots.</summary>
public class SearchOperatorCommandTests
{
    private readonly DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private SearchState NewState(int trials)
    {
        var state = new SearchState(new SearchId("s"), () => _now);
        Fold(state, state.DecideStart(TestSpecs.Data(TestSpecs.Mlp(trials))));
        return state;
    }

    private static void Fold(SearchState state, IEnumerable<ISearchEvent> events)
    {
        foreach (var e in events) state.Apply(e);
    }

    private static int Lease(SearchState state)
    {
        var events = state.DecideWork("t");
        Fold(state, events);
        return events.OfType<TrialLeased>().Single().TrialId;
    }

    [Fact]
    public void A_larger_budget_lets_more_trials_be_proposed()
    {
        var state = NewState(trials: 1);
        Lease(state);
        Assert.Empty(state.DecideWork("u"));
        var events = state.DecideBudget(3, "admin test");
        Assert.Equal([new SearchBudgetChanged(3, "admin test")], events);
        Fold(state, events);
        Assert.Equal(3, state.Budget);
        Assert.NotEmpty(state.DecideWork("u"));
    }

    [Fact]
    public void A_budget_below_the_trials_already_run_or_running_is_refused_with_the_reason()
    {
        var state = NewState(trials: 5);
        var first = Lease(state);
        Fold(state, state.DecideResult("t", first, state.LeaseEpochOf(first), new TrialMetrics(0.5, 0.5, 10, 1)));
        Lease(state);
        var refused = Assert.Throws<SearchCommandRefused>(() => state.DecideBudget(1, "admin"));
        Assert.Contains("1 completed and 1 in-flight", refused.Message);
        Assert.Equal(5, state.Budget);
    }

    [Fact]
    public void Priority_must_be_positive_and_shows_in_the_status()
    {
        var state = NewState(trials: 2);
        Assert.Throws<SearchCommandRefused>(() => state.DecidePriority(0, "admin"));
        Fold(state, state.DecidePriority(4, "admin"));
        Assert.Equal(4, state.ToStatus(false).Priority);
        Assert.Empty(state.DecidePriority(4, "admin"));
    }

    [Fact]
    public void A_finished_search_refuses_both()
    {
        var state = NewState(trials: 1);
        var id = Lease(state);
        Fold(state, state.DecideResult("t", id, state.LeaseEpochOf(id), new TrialMetrics(0.5, 0.5, 10, 1)));
        Assert.Equal(SearchPhase.Finished, state.Phase);
        Assert.Throws<SearchCommandRefused>(() => state.DecideBudget(10, "admin"));
        Assert.Throws<SearchCommandRefused>(() => state.DecidePriority(2, "admin"));
    }

    [Fact]
    public void Overrides_survive_a_snapshot_and_replay()
    {
        var state = NewState(trials: 2);
        Fold(state, state.DecideBudget(7, "admin"));
        Fold(state, state.DecidePriority(3, "admin"));
        var restored = new SearchState(new SearchId("s"), () => _now);
        restored.Restore(state.ToSnapshot());
        Assert.Equal((7, 3), (restored.Budget, restored.Priority));
    }
}
