using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Engine.Tests.Support;
using static NasActors.Engine.Searches.SearchEvents;

namespace NasActors.Engine.Tests.Searches;

/// <summary>
/// <c>budget.cache</c> through the search's state: a proposal of a network already evaluated at the same fidelity (equal, or
/// an isomorphic NB201 cell) is answered from the ledger without a lease, the budget is met with distinct evaluations, the
/// cap bounds the answers, and recovery from the journal alone or from a snapshot gives the same ledger and strategy.
/// </summary>
public class EvaluationCacheTests
{
    private readonly DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Two isomorphic cells (node 2 feeds nothing, so its edges do not matter) and a third, different one.
    private const string Cell = "|nor_conv_3x3~0|+|skip_connect~0|none~1|+|none~0|nor_conv_1x1~1|none~2|";
    private const string IsomorphicCell = "|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_3x3~1|+|none~0|nor_conv_1x1~1|none~2|";
    private const string OtherCell = "|nor_conv_1x1~0|+|skip_connect~0|nor_conv_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|";

    private static SearchSpec Spec(int trials, int? maxCached, params string[] enqueue) =>
        TestSpecs.Mlp(trials, "evolution") with
        {
            Space = new Nb201SpaceSpec("nb201", false),
            Budget = new BudgetSpec(trials, 5) { Cache = true, MaxCached = maxCached },
            Enqueue = enqueue
        };

    private SearchState Start(SearchSpec spec, List<ISearchEvent> journal)
    {
        var state = new SearchState(new SearchId("s"), () => _now);
        Record(state, state.DecideStart(TestSpecs.Data(spec)), journal);
        return state;
    }

    private static void Record(SearchState state, IReadOnlyList<ISearchEvent> events, List<ISearchEvent> journal)
    {
        foreach (var e in events) state.Apply(e);
        journal.AddRange(events);
    }

    /// <summary>Asks for work once and completes the leased trial (accuracy from its id); returns every event of the step.</summary>
    private static IReadOnlyList<ISearchEvent> Step(SearchState state, List<ISearchEvent> journal)
    {
        var work = state.DecideWork("t");
        Record(state, work, journal);
        var leased = work.OfType<TrialLeased>().Single();
        Record(state, state.DecideResult("t", leased.TrialId, leased.LeaseEpoch, new TrialMetrics(0.5 + leased.TrialId / 100.0, 0.5, 10, 1)), journal);
        return work;
    }

    private SearchState Replay(IEnumerable<ISearchEvent> journal)
    {
        var state = new SearchState(new SearchId("s"), () => _now);
        foreach (var e in journal) state.Apply(e);
        return state;
    }

    private static string Ledger(SearchState state) => string.Join("\n", state.ToStatus(includeTrials: true).Trials!.Select(t =>
        $"{t.TrialId} {t.Architecture} {t.State} leases={t.Leases} objective={t.Objective:R} cached_from={t.CachedFrom} awaits={t.AwaitsTrialId}"));

    [Fact]
    public void A_repeated_or_isomorphic_proposal_is_answered_from_the_ledger_without_a_lease_and_the_budget_counts_distinct_evaluations()
    {
        var journal = new List<ISearchEvent>();
        var live = Start(Spec(4, null, Cell, Cell, IsomorphicCell, OtherCell), journal);
        Step(live, journal);

        // One request: trials 2 (equal) and 3 (isomorphic) are answered from trial 1, trial 4 is leased.
        var second = Step(live, journal);
        Assert.Equal([2, 3], second.OfType<TrialCached>().Select(c => c.TrialId));
        Assert.All(second.OfType<TrialCached>(), c => Assert.Equal(1, c.SourceTrialId));
        Assert.Equal([4], second.OfType<TrialLeased>().Select(l => l.TrialId));
        Assert.Equal(2, live.Cached);
        var first = live.Entries.Single(e => e.Trial.TrialId == 1);
        Assert.All(live.Entries.Where(e => e.CachedFrom is not null), e =>
        {
            Assert.Equal((TrialState.Completed, 0, first.Metrics, first.Objective), (e.State, e.Leases, e.Metrics, e.Objective));
        });

        while (!live.IsOver) Step(live, journal);
        Assert.Equal(SearchPhase.Finished, live.Phase);
        // Evolution's own mutations may repeat a network too; each repeat is answered, never trained.
        Assert.Equal(4, live.Completed);
        Assert.True(live.Cached >= 2);
        Assert.Equal(journal.OfType<TrialCached>().Count(), live.Cached);
        Assert.Equal(live.Completed + live.Cached, live.Entries.Count);
        var trained = live.Entries.Where(e => e.Leases > 0).ToArray();
        Assert.Equal(4, trained.Length); // the budget bought four trainings...
        var space = live.Definition!.Space;
        Assert.Equal(4, trained.Select(e => space.EquivalenceKey(space.FromValues(e.Trial.Values))).Distinct().Count()); // ...of four different networks
        Assert.Equal(live.Cached, live.ToStatus(false).Cached);
    }

    [Fact]
    public void Recovery_from_the_journal_or_a_snapshot_gives_the_same_ledger_and_the_strategy_continues_the_same()
    {
        var journal = new List<ISearchEvent>();
        var live = Start(Spec(6, null, Cell, Cell, IsomorphicCell, OtherCell, Cell), journal);
        Step(live, journal);
        Step(live, journal);
        Step(live, journal); // trial 5 (Cell again) answered from the cache; trial 6 is the strategy's own

        var fromJournal = Replay(journal);
        var fromSnapshot = new SearchState(new SearchId("s"), () => _now);
        fromSnapshot.Restore(live.ToSnapshot());
        Assert.True(live.Cached >= 3);
        foreach (var recovered in new[] { fromJournal, fromSnapshot })
        {
            Assert.Equal(Ledger(live), Ledger(recovered));
            Assert.Equal((live.Completed, live.Cached, live.BestTrialId), (recovered.Completed, recovered.Cached, recovered.BestTrialId));
        }

        // The evolution population learned the cached outcomes in the same order: the next proposals agree, and the index of
        // evaluated networks was rebuilt (a repeat of trial 1's cell is still answered after recovery).
        var next = new[] { live, fromJournal, fromSnapshot }.Select(s =>
        {
            var copy = new List<ISearchEvent>();
            Step(s, copy);
            Step(s, copy);
            return Ledger(s);
        }).ToArray();
        Assert.Equal(next[0], next[1]);
        Assert.Equal(next[0], next[2]);
    }

    private static IReadOnlyList<ISearchEvent> Complete(SearchState state, TrialLeased lease, List<ISearchEvent> journal)
    {
        var events = state.DecideResult(lease.TrainerId, lease.TrialId, lease.LeaseEpoch, new TrialMetrics(0.5 + lease.TrialId / 100.0, 0.5, 10, 1));
        Record(state, events, journal);
        return events;
    }

    private static TrialLeased Lease(SearchState state, string trainer, List<ISearchEvent> journal)
    {
        var work = state.DecideWork(trainer);
        Record(state, work, journal);
        return work.OfType<TrialLeased>().Single();
    }

    [Fact]
    public void A_repeat_of_a_network_still_training_waits_for_it_and_is_answered_by_its_result_in_the_same_write_also_after_recovery()
    {
        var journal = new List<ISearchEvent>();
        var live = Start(Spec(4, null, Cell, IsomorphicCell, OtherCell), journal);
        var first = Lease(live, "a", journal);

        // Trainer b asks while trial 1 trains: trial 2 (the same network) waits for it, and b trains trial 3 instead.
        var second = live.DecideWork("b");
        Record(live, second, journal);
        Assert.Equal([new TrialAwaitsTwin(2, 1)], second.OfType<TrialAwaitsTwin>());
        Assert.Equal([3], second.OfType<TrialLeased>().Select(l => l.TrialId));
        Assert.Equal(3, live.InFlight); // the waiting trial holds a place in the budget until it is answered

        // A coordinator recovered now (journal, or snapshot) still knows trial 2 waits.
        var fromJournal = Replay(journal);
        var fromSnapshot = new SearchState(new SearchId("s"), () => _now);
        fromSnapshot.Restore(live.ToSnapshot());

        foreach (var state in new[] { live, fromJournal, fromSnapshot })
        {
            // The ledger says what trial 2 waits for (the dashboard shows it as "awaiting").
            Assert.Equal((TrialState.Queued, 1), state.ToStatus(includeTrials: true).Trials!.Where(t => t.TrialId == 2).Select(t => (t.State, t.AwaitsTrialId)).Single());
            var copy = new List<ISearchEvent>(journal);
            var done = Complete(state, first, copy);
            Assert.Equal([typeof(TrialCompleted), typeof(TrialCached)], done.Select(e => e.GetType()));
            Assert.Equal((2, 1), done.OfType<TrialCached>().Select(c => (c.TrialId, c.SourceTrialId)).Single());
            Assert.Equal((1, 1, 1), (state.Completed, state.Cached, state.InFlight));
            Assert.Equal(0, state.Entries.Single(e => e.Trial.TrialId == 2).Leases); // never trained
            Assert.Null(state.ToStatus(includeTrials: true).Trials!.Single(t => t.TrialId == 2).AwaitsTrialId);
            Assert.Equal(Ledger(live), Ledger(state));
        }
    }

    [Fact]
    public void When_the_trial_a_repeat_waits_for_fails_the_first_waiter_trains_and_the_others_wait_for_it()
    {
        var journal = new List<ISearchEvent>();
        var live = Start(Spec(5, null, Cell, Cell, IsomorphicCell, OtherCell), journal);
        var first = Lease(live, "a", journal);
        var work = live.DecideWork("b");
        Record(live, work, journal);
        Assert.Equal([(2, 1), (3, 1)], work.OfType<TrialAwaitsTwin>().Select(w => (w.TrialId, w.TwinTrialId)));

        Record(live, live.DecideFailure("a", first.TrialId, first.LeaseEpoch, "diverged"), journal);
        var retrained = Lease(live, "a", journal);
        Assert.Equal((2, 1), (retrained.TrialId, retrained.LeaseEpoch)); // trial 2 trains now, its first lease

        var recovered = Replay(journal);
        Assert.Equal(Ledger(live), Ledger(recovered));
        foreach (var state in new[] { live, recovered })
        {
            var done = Complete(state, retrained, []);
            Assert.Equal((3, 2), done.OfType<TrialCached>().Select(c => (c.TrialId, c.SourceTrialId)).Single()); // trial 3 waited for trial 2 then
        }
    }

    [Fact]
    public void Past_budget_max_cached_a_repeated_proposal_is_trained_so_a_strategy_repeating_itself_still_ends()
    {
        var journal = new List<ISearchEvent>();
        var live = Start(Spec(3, 1, Cell, Cell, Cell, Cell), journal);
        Step(live, journal);
        var second = Step(live, journal);
        Assert.Equal([2], second.OfType<TrialCached>().Select(c => c.TrialId));
        Assert.Equal([3], second.OfType<TrialLeased>().Select(l => l.TrialId)); // the cap (1) is spent: the repeat trains
        Step(live, journal);
        Assert.True(live.IsOver);
        Assert.Equal((3, 1), (live.Completed, live.Cached));
    }

    [Fact]
    public void Without_budget_cache_a_repeated_proposal_trains_as_before()
    {
        var journal = new List<ISearchEvent>();
        var spec = Spec(2, null, Cell, Cell) with { Budget = new BudgetSpec(2, 5) };
        var live = Start(spec, journal);
        Step(live, journal);
        Assert.Equal([2], Step(live, journal).OfType<TrialLeased>().Select(l => l.TrialId));
        Assert.Equal((2, 0), (live.Completed, live.Cached));
        Assert.DoesNotContain(journal, e => e is TrialCached);
    }
}
