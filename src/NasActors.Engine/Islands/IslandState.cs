using NasActors.Core.Specs;
using NasActors.Core.Strategies;
using NasActors.Core.Trials;
using NasActors.Engine.Members;
using NasActors.Engine.Searches;
using static NasActors.Engine.Islands.IslandEvents;
using static NasActors.Engine.Members.MemberProtocol;

namespace NasActors.Engine.Islands;

/// <summary>
/// One island with no actor around it: aging evolution is Core's <see cref="RegularizedEvolution"/>
/// (seeded per island), driven with tickets as trial ids; the island adds K-in-flight, lineage and
/// migration. <c>Decide…</c> return events (breeding advances the evolution, as the coordinator's
/// strategy does); <see cref="Apply"/> folds an event in and returns the messages it implies (member
/// records, retirements, migrants), which the actor sends only when live. Replay re-asks the
/// evolution for each child, which must breed the same one (it is deterministic).
/// </summary>
public sealed class IslandState(IslandId id)
{
    /// <summary>Evolution learns only from the objective; trials' metrics stay with the coordinator.</summary>
    private static readonly TrialMetrics NoMetrics = new(0, 0, 0, 0);
    private readonly SortedDictionary<int, ChildProposed> _inFlight = new();
    private readonly SortedDictionary<int, IslandMember> _members = new();
    private readonly SortedSet<string> _migrants = new(StringComparer.Ordinal);
    private readonly Dictionary<int, IReadOnlyList<string>> _childLineage = new();
    private RegularizedEvolution? _evolution;
    private SearchDefinition? _definition;

    public IslandId Id { get; } = id;
    public IslandSetup? Setup { get; private set; }
    public int NextTicket { get; private set; } = 1;
    public int Evaluated { get; private set; }
    public RegularizedEvolution? Evolution => _evolution;
    public int SnapshotEvery => _definition?.Spec.Execution.SnapshotEvery ?? 100;

    /// <summary>The island's own seed: islands of one search must not breed in lockstep.</summary>
    public static long SeedOf(long searchSeed, int island) => searchSeed * 1_000_003 + 7919L * (island + 1);

    // ---- decisions -------------------------------------------------------------------

    public IReadOnlyList<IIslandEvent> DecideStart(IslandSetup setup) => Setup is null ? [new IslandStarted(setup)] : [];

    public IReadOnlyList<IIslandEvent> DecideChildren()
    {
        if (_evolution is null) return [];
        var events = new List<IIslandEvent>();
        var ticket = NextTicket;
        while (_inFlight.Count + events.Count < Setup!.InFlight && _evolution.Ask(ticket) is { } child)
        {
            events.Add(new ChildProposed(ticket, child.Genotype.Values.ToArray(), child.Seed, _evolution.ParentOf(ticket)));
            ticket++;
        }
        return events;
    }

    public IReadOnlyList<IIslandEvent> DecideOutcome(int ticket, double? objective) =>
        _inFlight.ContainsKey(ticket) ? [new ChildEvaluated(ticket, objective)] : [];

    public IReadOnlyList<IIslandEvent> DecideMigrant(Migrant migrant) =>
        _evolution is null || _migrants.Contains(migrant.Key) ? [] : [new MigrantAccepted(migrant, NextTicket)];

    /// <summary>Children bred and not yet evaluated, as the coordinator buffers them.</summary>
    public IReadOnlyList<Proposal> InFlight => _inFlight.Values.Select(c => new Proposal(c.Ticket, c.Values, c.Seed)).ToArray();

    // ---- events ----------------------------------------------------------------------

    public IReadOnlyList<object> Apply(IIslandEvent e)
    {
        switch (e)
        {
            case IslandStarted started:
                Start(started.Setup);
                return [];
            case ChildProposed child:
                // Live, DecideChildren already asked; on replay, ask again: the same child must come out.
                if (!_evolution!.Pending.Contains(child.Ticket))
                {
                    var again = _evolution.Ask(child.Ticket);
                    if (again is null || !again.Genotype.Values.SequenceEqual(child.Values))
                        throw new InvalidOperationException($"{Id}: replaying child {child.Ticket} bred a different architecture; the evolution's code changed");
                }
                _inFlight[child.Ticket] = child;
                _childLineage[child.Ticket] = child.Parent is { } p && _members.TryGetValue(p, out var parent)
                    ? [.. parent.Lineage, Local(p)]
                    : [];
                NextTicket = Math.Max(NextTicket, child.Ticket + 1);
                return [];
            case ChildEvaluated evaluated:
                return Evaluate(evaluated);
            case MigrantAccepted accepted:
                _migrants.Add(accepted.Migrant.Key);
                _evolution!.Immigrate(_definition!.Space.FromValues(accepted.Migrant.Values), accepted.Migrant.Fitness, accepted.Ticket);
                NextTicket = Math.Max(NextTicket, accepted.Ticket + 1);
                var founder = new IslandMember(accepted.Ticket, Evaluated, null,
                    [.. accepted.Migrant.Lineage, $"island-{accepted.Migrant.FromIsland}/member-{accepted.Migrant.FromTicket}"]);
                return [Join(founder, accepted.Migrant.Values, accepted.Migrant.Fitness), .. Deaths()];
            default:
                throw new ArgumentException($"unknown island event {e.GetType().Name}");
        }
    }

    private void Start(IslandSetup setup)
    {
        Setup = setup;
        var spec = SearchSpecJson.Deserialize(setup.Spec.SpecJson);
        _definition = SearchDefinition.From(spec with { Seed = SeedOf(spec.Seed, Id.Index) }, new DatasetShape(setup.Spec.Features, setup.Spec.Classes));
        _evolution = _definition.CreateStrategy() as RegularizedEvolution
                     ?? throw new InvalidOperationException($"{Id}: islands run strategy '{RegularizedEvolution.Name}', the spec names '{spec.Strategy.Name}'");
    }

    private IReadOnlyList<object> Evaluate(ChildEvaluated evaluated)
    {
        var child = _inFlight[evaluated.Ticket];
        _inFlight.Remove(evaluated.Ticket);
        _childLineage.Remove(evaluated.Ticket, out var lineage);
        Evaluated++;
        if (evaluated.Objective is not { } objective)
        {
            _evolution!.Tell(new TrialFailedOutcome(evaluated.Ticket, "trial failed"));
            return [];
        }
        _evolution!.Tell(new TrialSucceeded(evaluated.Ticket, NoMetrics, objective));
        var effects = new List<object>();
        if (_evolution.Population.Any(m => m.TrialId == evaluated.Ticket))
            effects.Add(Join(new IslandMember(evaluated.Ticket, Evaluated, child.Parent is { } p ? Local(p) : null, lineage ?? []), child.Values, objective));
        effects.AddRange(Deaths());
        if (Setup!.MigrationEvery > 0 && Setup.Islands > 1 && Evaluated % Setup.MigrationEvery == 0 && _evolution.Best is { } best)
        {
            var member = _members[best.TrialId];
            var next = new IslandId(Id.Search, (Id.Index + 1) % Setup.Islands);
            effects.Add(new IslandProtocol.AcceptMigrant(next, new Migrant(Id.Index, best.TrialId, best.Genotype.Values.ToArray(), best.Fitness, member.Lineage)));
        }
        return effects;
    }

    private RecordMember Join(IslandMember member, double[] values, double fitness)
    {
        _members[member.Ticket] = member;
        return new RecordMember(new MemberId(Id, member.Ticket), new MemberRecord(values, fitness, member.Born, member.Parent, member.Lineage));
    }

    /// <summary>Members the evolution aged out: the island forgets them and retires their entities.</summary>
    private IEnumerable<object> Deaths()
    {
        var alive = _evolution!.Population.Select(m => m.TrialId).ToHashSet();
        foreach (var dead in _members.Keys.Where(t => !alive.Contains(t)).ToArray())
        {
            _members.Remove(dead);
            yield return new RetireMember(new MemberId(Id, dead), Evaluated);
        }
    }

    private string Local(int ticket) => new MemberId(Id, ticket).Local;

    /// <summary>Records of every living member, re-sent after recovery (members ignore what they have).</summary>
    public IEnumerable<RecordMember> LivingMembers() =>
        _evolution is null
            ? []
            : _evolution.Population.Where(m => _members.ContainsKey(m.TrialId)).Select(m =>
            {
                var member = _members[m.TrialId];
                return new RecordMember(new MemberId(Id, m.TrialId), new MemberRecord(m.Genotype.Values.ToArray(), m.Fitness, member.Born, member.Parent, member.Lineage));
            });

    // ---- views and snapshots ---------------------------------------------------------

    public IslandView View() => new(
        Id, Evaluated, NextTicket, _inFlight.Keys.ToArray(),
        _evolution?.Population.Select(m => new MemberSummary(m.TrialId, m.Genotype.Canonical, m.Fitness, _members.GetValueOrDefault(m.TrialId)?.Parent)).ToArray() ?? [],
        _migrants.Count,
        _evolution?.SaveState());

    public IslandSnapshot ToSnapshot() => new(
        Setup!, NextTicket, Evaluated, _evolution!.SaveState(), _inFlight.Values.ToArray(), _members.Values.ToArray(), _migrants.ToArray());

    public void Restore(IslandSnapshot snapshot)
    {
        Start(snapshot.Setup);
        NextTicket = snapshot.NextTicket;
        Evaluated = snapshot.Evaluated;
        _evolution!.RestoreState(snapshot.Evolution);
        foreach (var child in snapshot.InFlight) _inFlight[child.Ticket] = child;
        foreach (var member in snapshot.Members) _members[member.Ticket] = member;
        foreach (var key in snapshot.Migrants) _migrants.Add(key);
        foreach (var child in snapshot.InFlight)
            _childLineage[child.Ticket] = child.Parent is { } p && _members.TryGetValue(p, out var parent) ? [.. parent.Lineage, Local(p)] : [];
    }
}
