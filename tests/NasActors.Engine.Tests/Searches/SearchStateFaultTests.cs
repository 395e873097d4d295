using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Engine.Tests.Support;
using static NasActors.Engine.Searches.SearchEvents;

namespace NasActors.Engine.Tests.Searches;

/// <summary>
/// The search state under faults: fencing tokens, clock jumps, poison and hung trials, bad values,
/// infrastructure and fatal failures. Pure: a wall clock and a monotonic clock the tests move by hand.
/// </summary>
public class SearchStateFaultTests
{
    private DateTimeOffset _wall = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private TimeSpan _monotonic = TimeSpan.FromHours(1);
    private readonly List<ISearchEvent> _journal = [];

    private SearchState NewState(SearchSpec spec)
    {
        var state = new SearchState(new SearchId("s"), new SearchClock(() => _wall, () => _monotonic));
        Do(state, state.DecideStart(TestSpecs.Data(spec)));
        return state;
    }

    private SearchState NewState(int trials = 3, int maxFailures = 5, int maxAttempts = 3, double trialTimeout = 0) =>
        NewState(TestSpecs.Mlp(trials, maxFailures: maxFailures) is var spec
            ? spec with { Execution = spec.Execution with { MaxAttempts = maxAttempts, TrialTimeoutSeconds = trialTimeout } }
            : null!);

    /// <summary>Applies and journals events, as the coordinator does.</summary>
    private void Do(SearchState state, IReadOnlyList<ISearchEvent> events)
    {
        foreach (var e in events) state.Apply(e);
        _journal.AddRange(events);
    }

    private int Lease(SearchState state, string trainer)
    {
        var events = state.DecideWork(trainer);
        Do(state, events);
        return events.OfType<TrialLeased>().Single().TrialId;
    }

    private void Pass(double seconds) => _monotonic += TimeSpan.FromSeconds(seconds);

    private static TrialMetrics Metrics(double accuracy) => new(accuracy, 0.5, 10, 1);

    // ---- 1. fencing tokens ---------------------------------------------------------

    [Fact]
    public void Each_lease_of_a_trial_gets_the_next_epoch_and_only_the_latest_may_heartbeat_or_report()
    {
        var state = NewState();
        var id = Lease(state, "a");
        Assert.Equal(1, state.LeaseEpochOf(id));
        Pass(31);
        Do(state, state.DecideExpiredLeases());
        // Expired but not re-leased: the latest epoch's late report still counts.
        Assert.True(state.IsCurrentLease(id, 1));
        Assert.Equal(id, Lease(state, "b"));
        Assert.Equal(new TrialLeased(id, "b", 2), _journal.OfType<TrialLeased>().Last());
        Assert.False(state.Heartbeat("a", id, 1));
        Assert.False(state.Heartbeat("b", id, 1));
        Assert.True(state.Heartbeat("b", id, 2));
        Assert.Empty(state.DecideFailure("a", id, 1, "zombie died"));
        Assert.Empty(state.DecideResult("a", id, 1, Metrics(0.9)));
    }

    [Fact]
    public void A_late_report_of_an_expired_lease_not_yet_re_leased_counts_with_its_epoch()
    {
        var state = NewState();
        var id = Lease(state, "a");
        Pass(31);
        Do(state, state.DecideExpiredLeases());
        Do(state, state.DecideResult("a", id, 1, Metrics(0.7)));
        var view = state.ToStatus(true).Trials!.Single();
        Assert.Equal(TrialState.Completed, view.State);
        Assert.Equal(1, view.LeaseEpoch);
        Assert.Empty(state.DecideWork("b").OfType<TrialLeased>().Where(l => l.TrialId == id));
    }

    [Fact]
    public void A_journal_from_before_fencing_derives_each_lease_epoch_from_its_position()
    {
        var state = NewState();
        var record = TrialRecord.From(TestSpecs.Mlp(3) is var spec ? SearchDefinition.From(spec, new DatasetShape(4, 3)).CreateStrategy().Ask(1)! : null!);
        state.Apply(new TrialProposed(record));
        state.Apply(new TrialLeased(1, "old", 0));
        state.Apply(new TrialLeaseExpired(1));
        state.Apply(new TrialLeased(1, "older", 0));
        Assert.Equal(2, state.LeaseEpochOf(1));
        Assert.True(state.Heartbeat("older", 1, 2));
        state.Apply(new TrialCompleted(1, "older", Metrics(0.5), 0.5, 0));
        Assert.Equal(0, state.ToStatus(true).Trials!.Single().LeaseEpoch);
    }

    // ---- 2. monotonic lease clock --------------------------------------------------

    [Theory]
    [InlineData(5)]
    [InlineData(-5)]
    public void A_wall_clock_jump_neither_expires_leases_nor_freezes_them(double hours)
    {
        var state = NewState();
        Lease(state, "a");
        _wall = _wall.AddHours(hours);
        Assert.Empty(state.DecideExpiredLeases());
        Pass(31);
        Assert.Single(state.DecideExpiredLeases());
    }

    // ---- 3. poison trials ----------------------------------------------------------

    [Fact]
    public void A_trial_whose_attempts_keep_ending_without_a_result_is_quarantined_as_a_failure()
    {
        var state = NewState(trials: 3, maxAttempts: 3);
        var id = Lease(state, "a");
        for (var attempt = 1; attempt < 3; attempt++)
        {
            Pass(31);
            Do(state, state.DecideExpiredLeases());
            Assert.Equal(id, Lease(state, "a"));
        }
        Pass(31);
        var events = state.DecideExpiredLeases();
        var quarantined = Assert.Single(events.OfType<TrialQuarantined>());
        Assert.Equal("quarantined as a poison trial: 3 attempts ended without a result (lease expired/process died)", quarantined.Reason);
        Do(state, events);
        var view = state.ToStatus(true).Trials!.Single();
        Assert.Equal(TrialState.Failed, view.State);
        Assert.True(view.Quarantined);
        Assert.Equal(1, state.Failed);
        // Not re-queued: the next trainer gets a fresh trial.
        Assert.NotEqual(id, Lease(state, "b"));
    }

    [Fact]
    public void Attempts_are_counted_from_the_journal_so_restarts_that_reclaim_leases_count_too()
    {
        var state = NewState(trials: 3, maxAttempts: 2);
        var id = Lease(state, "a");
        // The process dies and restarts: a fresh state from the journal reclaims the lease.
        var restarted = NewStateFromJournal();
        Do(restarted, restarted.DecideReclaimAll());
        Assert.Equal(id, Lease(restarted, "a"));
        var again = NewStateFromJournal();
        var events = again.DecideReclaimAll();
        Assert.Contains(events, e => e is TrialQuarantined q && q.TrialId == id && q.Attempts == 2);
        Do(again, events);
        Assert.Equal(TrialState.Failed, again.Entries.Single(e => e.Trial.TrialId == id).State);
        Assert.Equal(1, NewStateFromJournal().Failed);
    }

    [Fact]
    public void A_quarantine_counts_against_max_failures()
    {
        var state = NewState(trials: 3, maxFailures: 0, maxAttempts: 1);
        Lease(state, "a");
        Pass(31);
        var events = state.DecideExpiredLeases();
        Assert.Contains(events, e => e is SearchFinished { Succeeded: false });
        Do(state, events);
        Assert.Equal(SearchPhase.Failed, state.Phase);
        Assert.Contains("poison trial", state.Message);
    }

    [Fact]
    public void Pausing_hands_leases_back_without_counting_an_attempt()
    {
        var state = NewState(trials: 3, maxAttempts: 1);
        var id = Lease(state, "a");
        Do(state, state.DecidePause("maintenance"));
        Do(state, state.DecideResume());
        Assert.Equal(id, Lease(state, "b"));
        Assert.Equal(0, state.Entries.Single().LostAttempts);
    }

    private SearchState NewStateFromJournal()
    {
        var state = new SearchState(new SearchId("s"), new SearchClock(() => _wall, () => _monotonic));
        foreach (var e in _journal) state.Apply(e);
        return state;
    }

    // ---- 4. hung trials ------------------------------------------------------------

    [Fact]
    public void A_lease_whose_trial_makes_no_progress_for_the_trial_timeout_is_revoked_as_an_attempt()
    {
        var state = NewState(trials: 3, maxAttempts: 3, trialTimeout: 60);
        var id = Lease(state, "a");
        for (var i = 0; i < 4; i++)
        {
            Pass(20);
            Assert.True(state.Heartbeat("a", id, 1, new TrialProgress(1, i))); // progressing
        }
        Assert.Empty(state.DecideExpiredLeases());
        for (var i = 0; i < 2; i++)
        {
            Pass(20);
            Assert.True(state.Heartbeat("a", id, 1, new TrialProgress(1, 3))); // alive but stuck
            Assert.Empty(state.DecideExpiredLeases());
        }
        Pass(20);
        Assert.True(state.Heartbeat("a", id, 1, new TrialProgress(1, 3)));
        Assert.Equal([id], state.HungTrials());
        Do(state, state.DecideExpiredLeases());
        Assert.False(state.Heartbeat("a", id, 1, new TrialProgress(1, 3)));
        Assert.Equal(1, state.Entries.Single().LostAttempts);
        Assert.Equal(id, Lease(state, "b"));
    }

    [Fact]
    public void Without_a_trial_timeout_a_trial_without_progress_keeps_its_lease()
    {
        var state = NewState();
        var id = Lease(state, "a");
        for (var i = 0; i < 10; i++)
        {
            Pass(20);
            Assert.True(state.Heartbeat("a", id, 1));
        }
        Assert.Empty(state.DecideExpiredLeases());
    }

    // ---- 5. values -----------------------------------------------------------------

    public static TheoryData<TrialMetrics, string> NonFinite => new()
    {
        { new TrialMetrics(double.NaN, 0.5, 10, 1), "metric val_accuracy is NaN" },
        { new TrialMetrics(0.5, double.NaN, 10, 1), "metric val_loss is NaN" },
        { new TrialMetrics(0.5, 0.5, 10, double.PositiveInfinity), "metric seconds is +Infinity" },
        { new TrialMetrics(0.5, 0.5, 10, 1, new Dictionary<string, double> { ["train_loss"] = double.NegativeInfinity }), "metric train_loss is -Infinity" }
    };

    [Theory]
    [MemberData(nameof(NonFinite))]
    public void A_result_with_a_non_finite_metric_is_a_failed_trial_naming_it(TrialMetrics metrics, string reason)
    {
        var state = NewState();
        var id = Lease(state, "a");
        var failed = Assert.IsType<TrialFailed>(Assert.Single(state.DecideResult("a", id, 1, metrics)));
        Assert.Equal(reason, failed.Reason);
    }

    [Fact]
    public void A_non_finite_objective_is_a_failed_trial()
    {
        var spec = TestSpecs.Mlp(3) with { Objective = new ObjectiveSpec("score", true) };
        var state = NewState(spec);
        var id = Lease(state, "a");
        var failed = Assert.IsType<TrialFailed>(Assert.Single(state.DecideResult("a", id, 1,
            new TrialMetrics(0.5, 0.5, 10, 1, new Dictionary<string, double> { ["score"] = 1e308 * 10 }))));
        Assert.Contains("is +Infinity", failed.Reason);
    }

    // ---- 6. apply is all or nothing per event --------------------------------------

    [Fact]
    public void An_event_that_does_not_fit_throws_before_changing_anything()
    {
        var state = NewState();
        var id = Lease(state, "a");
        var before = System.Text.Json.JsonSerializer.Serialize(state.ToSnapshot());
        Assert.ThrowsAny<Exception>(() => state.Apply(new TrialLeased(99, "x", 1)));
        Assert.ThrowsAny<Exception>(() => state.Apply(new TrialLeased(id, "x", 5)));
        Assert.ThrowsAny<Exception>(() => state.Apply(new TrialCompleted(99, "x", Metrics(0.1), 0.1, 1)));
        Assert.ThrowsAny<Exception>(() => state.Apply(new TrialQuarantined(99, 3, "x")));
        Assert.Equal(before, System.Text.Json.JsonSerializer.Serialize(state.ToSnapshot()));
    }

    // ---- 7. infrastructure and fatal failures --------------------------------------

    [Fact]
    public void An_infrastructure_failure_hands_the_trial_back_without_counting_a_failure_or_an_attempt()
    {
        var state = NewState(maxAttempts: 1);
        var id = Lease(state, "a");
        var events = state.DecideFailure("a", id, 1, "disk full", FailureKind.Infrastructure);
        Assert.Equal([new TrialHandedBack(id, 1, "infrastructure: disk full")], events);
        Do(state, events);
        Assert.Equal(0, state.Failed);
        Assert.Equal(id, Lease(state, "b"));
        Assert.Equal(2, state.LeaseEpochOf(id));
        Assert.Equal(0, state.Entries.Single().LostAttempts);
    }

    [Fact]
    public void A_trial_a_draining_trainer_reports_preempted_is_handed_back_as_preempted_not_failed()
    {
        var state = NewState(maxAttempts: 1);
        var id = Lease(state, "a");
        var events = state.DecideFailure("a", id, 1, "preempted: the node is draining", FailureKind.Preempted);
        Assert.Equal([new TrialHandedBack(id, 1, "preempted")], events);
        Do(state, events);
        Assert.Equal(0, state.Failed);
        Assert.Equal(id, Lease(state, "b"));
        Assert.Equal(0, state.Entries.Single().LostAttempts);
    }

    [Fact]
    public void A_preempted_trial_is_handed_back_with_its_reason_only_by_its_live_lease()
    {
        var state = NewState();
        var id = Lease(state, "a");
        Assert.Empty(state.DecideHandBack(id, 2, "preempted"));
        Assert.Equal([new TrialHandedBack(id, 1, "preempted")], state.DecideHandBack(id, 1, "preempted"));
    }

    [Fact]
    public void A_fatal_failure_hands_the_trial_back_and_fails_the_search_once()
    {
        var state = NewState();
        var id = Lease(state, "a");
        var events = state.DecideFailure("a", id, 1, "dataset has 5 features, the spec expects 4", FailureKind.Fatal);
        Assert.IsType<TrialHandedBack>(events[0]);
        Assert.Contains("dataset has 5 features", Assert.IsType<SearchFinished>(events[1]).Message);
        Do(state, events);
        Assert.Equal(SearchPhase.Failed, state.Phase);
        Assert.Equal(0, state.Failed);
        Assert.Empty(state.DecideFailure("b", id, 1, "again", FailureKind.Fatal));
    }
}
