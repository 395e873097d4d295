using Akka.Actor;
using Akka.TestKit.Xunit2;
using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Engine.Serialization;
using NasActors.Engine.Tests.Support;
using static NasActors.Engine.Searches.SearchEvents;

namespace NasActors.Engine.Tests.Searches;

/// <summary>
/// A journal recovers from the decisions it records, not by re-deriving them: after a strategy's random stream
/// changes (what an upgraded model library or a fixed bug does to a strategy), replay adopts the recorded proposals
/// instead of stopping because today's code would propose something else.
/// </summary>
public class RecordedDecisionRecoveryTests : TestKit
{
    private readonly SearchEventSerializer _serializer;
    private readonly DateTimeOffset _now = new(2026, 11, 28, 23, 0, 0, TimeSpan.Zero);

    public RecordedDecisionRecoveryTests() : base(AkkaConfig.InMemory) => _serializer = new SearchEventSerializer((ExtendedActorSystem)Sys);

    /// <summary>A two-stage curriculum (depth restricted in the first; its best two promoted) around <paramref name="strategy"/>.</summary>
    private static SearchSpec Curriculum(string strategy) => TestSpecs.Mlp(12, strategy) with
    {
        Stages =
        [
            new StageSpec("coarse", 1, 0.5, 6, 2, null, new Dictionary<string, IReadOnlyList<string>> { ["depth"] = ["1", "2"] }),
            new StageSpec("full", 2, 1.0, 6, null, null, null)
        ]
    };

    [Theory]
    [InlineData("tpe", false)]
    [InlineData("evolution", false)]
    [InlineData("predictor", false)]
    [InlineData("evolution", true)] // the curriculum wrapper: promotions and inner proposals through a restriction
    [InlineData("tpe", true)]
    public void A_journal_recovers_after_the_strategy_s_random_stream_changed(string strategy, bool curriculum)
    {
        var spec = curriculum ? Curriculum(strategy) : TestSpecs.Mlp(12, strategy);
        var journal = Write(spec, completed: 8, running: 2);

        // Today's code with another random stream proposes differently from the journal: replay cannot re-derive it.
        var changed = spec with { Seed = spec.Seed + 1 };
        var recordedProposals = journal.OfType<TrialProposed>().Select(p => p.Trial).ToList();
        var fresh = Write(changed, completed: 8, running: 2).OfType<TrialProposed>().Select(p => p.Trial.Values).ToList();
        Assert.NotEqual(recordedProposals.Select(t => t.Values), fresh, new ValuesComparer());

        var state = new SearchState(new SearchId("s"), () => _now);
        foreach (var e in journal) state.Apply(e is SearchStarted started ? started with { Spec = TestSpecs.Data(changed) } : e);

        Assert.Equal(recordedProposals.Select(t => t.Values), state.Entries.OrderBy(e => e.Trial.TrialId).Select(e => e.Trial.Values), new ValuesComparer());
        Assert.Equal(8, state.Completed);
        Assert.Equal(2, state.InFlight);
        // The recovered search goes on: the two running trials finish and new ones are proposed up to the budget.
        foreach (var entry in state.Entries.Where(e => e.State == TrialState.Leased).ToList())
            Fold(state, state.DecideResult(entry.TrainerId!, entry.Trial.TrialId, state.LeaseEpochOf(entry.Trial.TrialId), Metrics(entry.Trial.TrialId)));
        for (var i = 0; i < 2; i++)
        {
            var work = state.DecideWork("after-recovery");
            Assert.Single(work.OfType<TrialProposed>());
            Fold(state, work);
        }
        Assert.Equal(12, state.Entries.Count);
        if (curriculum) Assert.Equal(2, state.ToStatus(false).Curriculum!.Stage);
    }

    /// <summary>A search run by today's code, each event written and read back through the journal's serializer.</summary>
    private List<ISearchEvent> Write(SearchSpec spec, int completed, int running)
    {
        var state = new SearchState(new SearchId("s"), () => _now);
        var journal = new List<ISearchEvent>();
        void Record(IEnumerable<ISearchEvent> events)
        {
            foreach (var e in events)
            {
                var stored = (ISearchEvent)_serializer.FromBinary(_serializer.ToBinary(e), _serializer.Manifest(e));
                state.Apply(stored);
                journal.Add(stored);
            }
        }

        Record(state.DecideStart(TestSpecs.Data(spec)));
        for (var i = 0; i < completed + running; i++)
        {
            var work = state.DecideWork($"t{i % 2}");
            Record(work);
            var id = work.OfType<TrialLeased>().Single().TrialId;
            if (i < completed) Record(state.DecideResult($"t{i % 2}", id, state.LeaseEpochOf(id), Metrics(id)));
        }
        return journal;
    }

    private static void Fold(SearchState state, IEnumerable<ISearchEvent> events)
    {
        foreach (var e in events) state.Apply(e);
    }

    /// <summary>A deterministic accuracy per trial, different for every trial.</summary>
    private static TrialMetrics Metrics(int trialId) => new(0.5 + 0.37 * ((trialId * 7919) % 13) / 13.0, 0.5, 10, 1);

    private sealed class ValuesComparer : IEqualityComparer<double[]>
    {
        public bool Equals(double[]? x, double[]? y) => x is not null && y is not null && x.SequenceEqual(y);
        public int GetHashCode(double[] obj) => obj.Length;
    }
}
