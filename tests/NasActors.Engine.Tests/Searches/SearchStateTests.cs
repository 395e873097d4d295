using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Engine.Tests.Support;
using static NasActors.Engine.Searches.SearchEvents;

namespace NasActors.Engine.Tests.Searches;

public class SearchStateTests
{
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private SearchState NewState(int trials = 3, int maxFailures = 5)
    {
        var state = new SearchState(new SearchId("s"), () => _now);
        Fold(state, state.DecideStart(TestSpecs.Data(TestSpecs.Mlp(trials, maxFailures: maxFailures))));
        return state;
    }

    private static void Fold(SearchState state, IEnumerable<ISearchEvent> events)
    {
        foreach (var e in events) state.Apply(e);
    }

    private static TrialMetrics Metrics(double accuracy) => new(accuracy, 0.5, 10, 1);

    private static int Lease(SearchState state, string trainer)
    {
        var events = state.DecideWork(trainer);
        Fold(state, events);
        return events.OfType<TrialLeased>().Single().TrialId;
    }

    [Fact]
    public void Never_proposes_beyond_the_budget_counting_trials_in_flight()
    {
        var state = NewState(trials: 2);
        Lease(state, "a");
        Lease(state, "b");
        Assert.Empty(state.DecideWork("c"));
        Assert.Equal(2, state.InFlight);
    }

    [Fact]
    public void Out_of_order_results_are_all_counted_and_the_last_one_finishes_the_search()
    {
        var state = NewState(trials: 3);
        var ids = new[] { Lease(state, "a"), Lease(state, "b"), Lease(state, "c") };
        Fold(state, state.DecideResult("c", ids[2], state.LeaseEpochOf(ids[2]), Metrics(0.3)));
        Fold(state, state.DecideResult("a", ids[0], state.LeaseEpochOf(ids[0]), Metrics(0.9)));
        var last = state.DecideResult("b", ids[1], state.LeaseEpochOf(ids[1]), Metrics(0.5));
        Assert.Contains(last, e => e is SearchFinished { Succeeded: true });
        Fold(state, last);
        Assert.Equal(SearchPhase.Finished, state.Phase);
        Assert.Equal(3, state.Completed);
        Assert.Equal(ids[0], state.BestTrialId);
    }

    [Fact]
    public void A_duplicate_result_produces_no_event()
    {
        var state = NewState();
        var id = Lease(state, "a");
        Fold(state, state.DecideResult("a", id, state.LeaseEpochOf(id), Metrics(0.4)));
        Assert.Empty(state.DecideResult("a", id, state.LeaseEpochOf(id), Metrics(0.99)));
        Assert.Equal(1, state.Completed);
        Assert.Equal(0.4, state.Entries.Single().Metrics!.ValidationAccuracy);
    }

    [Fact]
    public void An_expired_lease_requeues_the_trial_and_the_next_trainer_gets_it_first()
    {
        var state = NewState();
        var id = Lease(state, "a");
        Assert.Empty(state.DecideExpiredLeases());
        _now = _now.AddSeconds(31);
        var expired = state.DecideExpiredLeases();
        Assert.Equal([new TrialLeaseExpired(id)], expired);
        Fold(state, expired);
        Assert.Equal(id, Lease(state, "b"));
        Assert.Equal(2, state.Entries.Single().Leases);
    }

    [Fact]
    public void The_leases_of_trainers_whose_node_left_are_handed_back_if_it_left_cleanly_and_lost_if_it_was_downed()
    {
        var state = NewState(trials: 3);
        var (a1, a2, b) = (Lease(state, "a1"), Lease(state, "a2"), Lease(state, "b"));
        var drained = state.DecideTrainersLeft(new HashSet<string> { "a1" }, cleanly: true, "left");
        Assert.Equal([new TrialHandedBack(a1, 1, "left")], drained);
        Fold(state, drained);
        var downed = state.DecideTrainersLeft(new HashSet<string> { "a1", "a2" }, cleanly: false, "downed");
        Assert.Equal([new TrialLeaseExpired(a2)], downed); // a1's lease is no longer live: only a2's is revoked
        Fold(state, downed);
        Assert.Equal(a1, Lease(state, "c"));
        Assert.Equal(a2, Lease(state, "c"));
        // A hand-back is not an attempt; a downed node's lease is, like the expiry it anticipates.
        Assert.Equal([0, 1], new[] { a1, a2 }.Select(id => state.Entries.Single(e => e.Trial.TrialId == id).LostAttempts));
        Assert.Equal("b", state.Entries.Single(e => e.Trial.TrialId == b).TrainerId);
    }

    [Fact]
    public void Heartbeats_keep_a_lease_alive_only_for_its_holder()
    {
        var state = NewState();
        var id = Lease(state, "a");
        _now = _now.AddSeconds(20);
        Assert.False(state.Heartbeat("intruder", id, state.LeaseEpochOf(id)));
        Assert.True(state.Heartbeat("a", id, state.LeaseEpochOf(id)));
        _now = _now.AddSeconds(20);
        Assert.Empty(state.DecideExpiredLeases());
    }

    [Fact]
    public void A_late_result_from_the_first_holder_of_a_reissued_trial_is_stale_and_the_new_holder_counts()
    {
        var state = NewState();
        var id = Lease(state, "a");
        _now = _now.AddSeconds(60);
        Fold(state, state.DecideExpiredLeases());
        Assert.Equal(id, Lease(state, "b"));
        Assert.Equal(2, state.LeaseEpochOf(id));
        Assert.False(state.IsCurrentLease(id, 1));
        Assert.Empty(state.DecideResult("a", id, 1, Metrics(0.7)));
        Fold(state, state.DecideResult("b", id, 2, Metrics(0.8)));
        Assert.Empty(state.DecideResult("b", id, 2, Metrics(0.9)));
        Assert.Equal(1, state.Completed);
        var view = state.ToStatus(true).Trials!.Single();
        Assert.Equal(0.8, view.Metrics!.ValidationAccuracy);
        Assert.Equal(2, view.LeaseEpoch);
    }

    [Fact]
    public void Failures_do_not_use_the_budget_until_max_failures_stops_the_search()
    {
        var state = NewState(trials: 2, maxFailures: 1);
        var first = Lease(state, "a");
        Fold(state, state.DecideFailure("a", first, state.LeaseEpochOf(first), "boom"));
        Assert.Equal(SearchPhase.Running, state.Phase);
        Assert.Equal(0, state.InFlight);
        var second = Lease(state, "a");
        var events = state.DecideFailure("a", second, state.LeaseEpochOf(second), "boom again");
        Fold(state, events);
        Assert.Equal(SearchPhase.Failed, state.Phase);
        Assert.Contains("max_failures", state.Message);
    }

    [Fact]
    public void Replaying_the_events_rebuilds_the_same_ledger_and_strategy()
    {
        var state = NewState(trials: 5);
        var journal = new List<ISearchEvent>(state.DecideStart(TestSpecs.Data(TestSpecs.Mlp(5))));
        var live = new SearchState(new SearchId("s"), () => _now);
        void Do(IReadOnlyList<ISearchEvent> events) { journal.AddRange(events); Fold(live, events); }
        Do(live.DecideStart(TestSpecs.Data(TestSpecs.Mlp(5))));
        var a = live.DecideWork("a"); Do(a);
        var b = live.DecideWork("b"); Do(b);
        Do(live.DecideResult("b", b.OfType<TrialLeased>().Single().TrialId, 1, Metrics(0.6)));

        var replayed = new SearchState(new SearchId("s"), () => _now);
        Fold(replayed, journal);
        Assert.Equal(live.ToStatus(true).Trials, replayed.ToStatus(true).Trials);
        // The strategy continues identically: the next proposal is the same.
        Assert.Equal(
            live.DecideWork("c").OfType<TrialProposed>().Single().Trial.Values,
            replayed.DecideWork("c").OfType<TrialProposed>().Single().Trial.Values);
    }

    [Fact]
    public void A_snapshot_restores_ledger_and_strategy()
    {
        var live = NewState(trials: 6);
        var id = Lease(live, "a");
        Lease(live, "b");
        Fold(live, live.DecideResult("a", id, live.LeaseEpochOf(id), Metrics(0.8)));

        var restored = new SearchState(new SearchId("s"), () => _now);
        restored.Restore(live.ToSnapshot());
        Assert.Equal(live.ToStatus(true) with { Trials = null }, restored.ToStatus(true) with { Trials = null });
        Assert.Equal(live.ToStatus(true).Trials, restored.ToStatus(true).Trials);
        Assert.Equal(
            live.DecideWork("c").OfType<TrialProposed>().Single().Trial.Values,
            restored.DecideWork("c").OfType<TrialProposed>().Single().Trial.Values);
    }

    [Fact]
    public void A_result_missing_the_objective_metric_fails_the_trial_instead_of_crashing()
    {
        var state = new SearchState(new SearchId("s"), () => _now);
        var spec = TestSpecs.Mlp(3) with { Objective = new NasActors.Core.Specs.ObjectiveSpec("train_loss", false) };
        Fold(state, state.DecideStart(TestSpecs.Data(spec)));
        var id = Lease(state, "a");
        var events = state.DecideResult("a", id, state.LeaseEpochOf(id), Metrics(0.5));
        Assert.IsType<TrialFailed>(Assert.Single(events));
        Assert.Contains("train_loss", ((TrialFailed)events[0]).Reason);
    }

    [Fact]
    public void Pause_returns_leases_and_stops_new_work_until_resumed()
    {
        var state = NewState(trials: 3);
        var id = Lease(state, "a");
        Fold(state, state.DecidePause("maintenance"));
        Assert.Equal(SearchPhase.Paused, state.Phase);
        Assert.Equal(TrialState.Queued, state.Entries.Single().State);
        Assert.False(state.Heartbeat("a", id, state.LeaseEpochOf(id)));
        Assert.Empty(state.DecideWork("b"));
        Fold(state, state.DecideResume());
        Assert.Equal(id, Lease(state, "b"));
    }

    [Fact]
    public void Cancel_is_final_and_keeps_completed_results()
    {
        var state = NewState(trials: 3);
        var id = Lease(state, "a");
        Fold(state, state.DecideResult("a", id, state.LeaseEpochOf(id), Metrics(0.5)));
        Lease(state, "a");
        Fold(state, state.DecideCancel("no longer needed"));
        Assert.True(state.IsOver);
        Assert.Equal(1, state.Completed);
        Assert.Empty(state.DecideWork("a"));
        Assert.Empty(state.DecideResume());
        Assert.Empty(state.DecideCancel("again"));
    }
}
