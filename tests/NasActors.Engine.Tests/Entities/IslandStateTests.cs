using NasActors.Engine.Islands;
using NasActors.Engine.Members;
using NasActors.Engine.Searches;
using NasActors.Engine.Tests.Support;
using static NasActors.Engine.Members.MemberProtocol;

namespace NasActors.Engine.Tests.Entities;

/// <summary>The island's decisions with no actor: K in flight, members born and retired, lineage, migration, replay.</summary>
public class IslandStateTests
{
    private static readonly IslandId Id = new(new SearchId("s"), 0);
    private readonly List<IIslandEvent> _journal = [];
    private readonly List<object> _effects = [];

    private IslandState Started(int inFlight = 2, int migrationEvery = 0)
    {
        var state = new IslandState(Id);
        var setup = new IslandSetup(TestSpecs.Data(TestSpecs.Islands(50, 2, inFlight, migrationEvery)), 2, inFlight, migrationEvery);
        Apply(state, state.DecideStart(setup));
        return state;
    }

    private void Apply(IslandState state, IReadOnlyList<IIslandEvent> events)
    {
        foreach (var e in events)
        {
            _journal.Add(e);
            _effects.AddRange(state.Apply(e));
        }
    }

    /// <summary>Breeds and evaluates until <paramref name="evaluations"/> children are done; fitness = 0.01 × ticket.</summary>
    private void Evolve(IslandState state, int evaluations)
    {
        while (state.Evaluated < evaluations)
        {
            Apply(state, state.DecideChildren());
            var ticket = state.View().InFlight.First();
            Apply(state, state.DecideOutcome(ticket, 0.01 * ticket));
        }
    }

    [Fact]
    public void At_most_K_children_are_in_flight_and_an_outcome_makes_room_for_another()
    {
        var state = Started(inFlight: 3);
        Apply(state, state.DecideChildren());
        Assert.Equal([1, 2, 3], state.View().InFlight);
        Assert.Empty(state.DecideChildren());

        Apply(state, state.DecideOutcome(2, 0.5));
        Assert.Empty(state.DecideOutcome(2, 0.9)); // a re-sent outcome is a duplicate
        Assert.Single(state.DecideChildren());
    }

    [Fact]
    public void Evaluated_children_become_members_with_their_parent_and_the_oldest_retires()
    {
        var state = Started();
        Evolve(state, 8); // population 4: four retire

        var records = _effects.OfType<RecordMember>().ToArray();
        var retired = _effects.OfType<RetireMember>().Select(r => r.MemberId.Ticket).ToArray();
        Assert.Equal(8, records.Length);
        Assert.Equal(records.Take(4).Select(r => r.MemberId.Ticket), retired);
        Assert.All(records.Take(4), r => Assert.Null(r.Record.Parent)); // the random founders
        var child = records.Last();
        Assert.NotNull(child.Record.Parent);
        Assert.Equal(child.Record.Parent, child.Record.Lineage[^1]);
        Assert.Equal(4, state.View().Population.Count);
    }

    [Fact]
    public void Every_M_evaluations_the_best_member_migrates_to_the_next_island()
    {
        var state = Started(migrationEvery: 3);
        Evolve(state, 6);

        var migrants = _effects.OfType<IslandProtocol.AcceptMigrant>().ToArray();
        Assert.Equal(2, migrants.Length);
        Assert.All(migrants, m => Assert.Equal(1, m.IslandId.Index));
        var best = state.View().Population.MaxBy(m => m.Fitness)!;
        Assert.Equal(best.Fitness, migrants[^1].Migrant.Fitness);
    }

    [Fact]
    public void A_migrant_joins_once_as_a_member_whose_lineage_names_where_it_came_from()
    {
        var state = Started();
        Evolve(state, 4);
        var migrant = new Migrant(1, 7, RandomValues(state), 0.99, ["island-1/member-2"]);

        Apply(state, state.DecideMigrant(migrant));
        Assert.Empty(state.DecideMigrant(migrant));

        var record = _effects.OfType<RecordMember>().Last();
        Assert.Equal(["island-1/member-2", "island-1/member-7"], record.Record.Lineage);
        Assert.Contains(state.View().Population, m => m.Fitness == 0.99);
    }

    [Fact]
    public void Replaying_the_journal_rebuilds_the_same_island()
    {
        var state = Started(migrationEvery: 2);
        Evolve(state, 7);
        Apply(state, state.DecideChildren());

        var replayed = new IslandState(Id);
        foreach (var e in _journal) replayed.Apply(e);
        AssertSame(state.View(), replayed.View());

        var restored = new IslandState(Id);
        restored.Restore(state.ToSnapshot());
        AssertSame(state.View(), restored.View());
        // Both continue identically.
        Assert.Equal(Describe(state.DecideChildren()), Describe(restored.DecideChildren()));
    }

    private static double[] RandomValues(IslandState state) =>
        state.Evolution!.Population.First().Genotype.Values.ToArray();

    private static string Describe(IEnumerable<IIslandEvent> events) =>
        string.Join(";", events.OfType<IslandEvents.ChildProposed>().Select(c => $"{c.Ticket}:{string.Join(',', c.Values)}:{c.Seed}:{c.Parent}"));

    internal static void AssertSame(IslandView expected, IslandView actual)
    {
        Assert.Equal(expected.Evaluated, actual.Evaluated);
        Assert.Equal(expected.NextTicket, actual.NextTicket);
        Assert.Equal(expected.InFlight, actual.InFlight);
        Assert.Equal(expected.Population, actual.Population);
        Assert.Equal(expected.MigrantsAccepted, actual.MigrantsAccepted);
        Assert.Equal(expected.EvolutionState, actual.EvolutionState);
    }
}
