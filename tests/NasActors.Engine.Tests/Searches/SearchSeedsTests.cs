using NasActors.Core.Randomness;
using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Engine.Tests.Support;
using static NasActors.Engine.Searches.SearchEvents;

namespace NasActors.Engine.Tests.Searches;

/// <summary>
/// A spec's <c>enqueue:</c> and <c>warm_start:</c> through the search's state: the enqueued architectures are the
/// first trials, in order; known results reach the strategy once; and both survive recovery from the journal alone
/// and from a snapshot plus later events.
/// </summary>
public class SearchSeedsTests
{
    private readonly DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static SearchDefinition DefinitionOf(SearchSpec spec) => SearchDefinition.From(spec, new DatasetShape(4, 3));

    private static string[] Labels(SearchSpec spec, params int[] seeds) =>
        seeds.Select(s => DefinitionOf(spec).Space.Sample(new SeededRandom(s)).Canonical).ToArray();

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

    /// <summary>Leases and completes one trial; returns its architecture.</summary>
    private static string Step(SearchState state, List<ISearchEvent> journal, int n)
    {
        var work = state.DecideWork("t");
        Record(state, work, journal);
        var leased = work.OfType<TrialLeased>().Single();
        Record(state, state.DecideResult("t", leased.TrialId, leased.LeaseEpoch, new TrialMetrics(0.5 + n / 100.0, 0.5, 10, 1)), journal);
        var trial = state.Entries.Single(e => e.Trial.TrialId == leased.TrialId).Trial;
        return state.Definition!.Space.FromValues(trial.Values).Canonical;
    }

    private SearchState Replay(IEnumerable<ISearchEvent> journal)
    {
        var state = new SearchState(new SearchId("s"), () => _now);
        foreach (var e in journal) state.Apply(e);
        return state;
    }

    [Fact]
    public void Enqueued_architectures_are_the_first_trials_in_order_then_the_strategy_proposes_and_recovery_agrees()
    {
        var plain = TestSpecs.Mlp(8, "evolution");
        var enqueued = Labels(plain, 11, 12, 13);
        var spec = plain with { Enqueue = enqueued };
        var journal = new List<ISearchEvent>();
        var live = Start(spec, journal);
        var first = Enumerable.Range(0, 2).Select(n => Step(live, journal, n)).ToArray();
        Assert.Equal(enqueued.Take(2), first);

        // Recovery mid-queue, from the journal alone and from a snapshot: the third trial is still the third enqueued one.
        var fromJournal = Replay(journal);
        var fromSnapshot = new SearchState(new SearchId("s"), () => _now);
        fromSnapshot.Restore(live.ToSnapshot());
        var rest = new[] { live, fromJournal, fromSnapshot }.Select(s =>
        {
            var copy = new List<ISearchEvent>();
            return Enumerable.Range(2, 4).Select(n => Step(s, copy, n)).ToArray();
        }).ToArray();
        Assert.Equal(enqueued[2], rest[0][0]);
        Assert.DoesNotContain(rest[0].Skip(1), enqueued.Contains); // then the strategy's own
        Assert.Equal(rest[0], rest[1]);
        Assert.Equal(rest[0], rest[2]);
    }

    [Fact]
    public void Known_results_reach_the_strategy_once_and_recovery_proposes_as_the_live_search_did()
    {
        var plain = TestSpecs.Mlp(12, "tpe");
        var known = Labels(plain, Enumerable.Range(100, 30).ToArray())
            .Select((label, i) => new KnownResult(label, new TrialMetrics(0.3 + (i % 7) / 10.0, 0.5, 10, 1))).ToArray();
        var spec = plain with { WarmStart = new WarmStartSpec("/earlier/results.csv", null) { Known = known } };

        var coldJournal = new List<ISearchEvent>();
        var cold = Start(plain, coldJournal);
        var journal = new List<ISearchEvent>();
        var warm = Start(spec, journal);
        // Thirty known results put TPE past its ten start-up trials: its first proposal comes from the model, not the prior.
        Assert.NotEqual(Step(cold, coldJournal, 0), Step(warm, journal, 0));
        Step(warm, journal, 1);
        Assert.Equal(2, warm.Completed); // known results are not trials of this search
        Assert.Equal(2, warm.Entries.Count);

        var fromJournal = Replay(journal);
        var fromSnapshot = new SearchState(new SearchId("s"), () => _now);
        fromSnapshot.Restore(warm.ToSnapshot());
        var next = new[] { warm, fromJournal, fromSnapshot }.Select(s => Step(s, new List<ISearchEvent>(), 2)).ToArray();
        Assert.Equal(next[0], next[1]);
        Assert.Equal(next[0], next[2]);
    }

    [Fact]
    public void An_operators_enqueue_takes_the_next_proposal_survives_a_snapshot_and_is_refused_when_it_cannot_run()
    {
        var spec = TestSpecs.Mlp(4, "evolution");
        var journal = new List<ISearchEvent>();
        var live = Start(spec, journal);
        Step(live, journal, 0);
        var (first, second) = (Labels(spec, 21)[0], Labels(spec, 22)[0]);
        Record(live, live.DecideEnqueue(first, "admin@test"), journal);
        Record(live, live.DecideEnqueue(second, "admin@test"), journal);
        Assert.Equal(first, Step(live, journal, 1));

        // The queue (the second architecture) is in the snapshot and in the journal.
        var fromSnapshot = new SearchState(new SearchId("s"), () => _now);
        fromSnapshot.Restore(live.ToSnapshot());
        Assert.Equal(second, Step(fromSnapshot, new List<ISearchEvent>(), 2));
        Assert.Equal(second, Step(Replay(journal), new List<ISearchEvent>(), 2));

        Assert.Contains("is not an architecture of search s's space", Assert.Throws<SearchCommandRefused>(() => live.DecideEnqueue("depth=9", "admin")).Message);
        Assert.Equal(second, Step(live, journal, 2));
        Record(live, live.DecideEnqueue(first, "admin"), journal); // the fourth and last trial of the budget
        Assert.Contains("has no trial left for it", Assert.Throws<SearchCommandRefused>(() => live.DecideEnqueue(second, "admin")).Message);
    }
}
