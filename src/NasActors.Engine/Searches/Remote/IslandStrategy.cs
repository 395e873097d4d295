using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Entities;
using NasActors.Engine.Islands;
using static NasActors.Engine.Islands.IslandProtocol;

namespace NasActors.Engine.Searches.Remote;

/// <summary>Evolution as islands: proposals are the islands' children; each outcome goes back to the child's island.</summary>
public sealed class IslandStrategy(SearchId searchId, SearchDefinition definition, SearchSpecData spec) : RemoteStrategy(searchId, definition, spec)
{
    public int Islands => (int)Definition.Spec.Strategy.Parameters.GetValueOrDefault("islands", 1);

    private IEnumerable<IslandId> Ids => Enumerable.Range(0, Islands).Select(i => new IslandId(SearchId, i));

    protected override IEnumerable<Outgoing> StartMessages()
    {
        var migration = (int)Definition.Spec.Strategy.Parameters.GetValueOrDefault("migration_every", 0);
        return Ids.Select(id => new Outgoing(EntityKind.Island, new StartIsland(id, new IslandSetup(Spec, Islands, Ahead, migration))));
    }

    protected override IEnumerable<Outgoing> RefillMessages(int buffered) =>
        Ids.Select(id => new Outgoing(EntityKind.Island, new RequestChildren(id)));

    protected override IEnumerable<(string Owner, double? Value)> Outcomes(Buffered proposal, TrialOutcome outcome) =>
        [(proposal.Owner, (outcome as TrialSucceeded)?.Objective)];

    protected override Outgoing OutcomeMessage(string owner, int ticket, double? value) =>
        new(EntityKind.Island, new ReportChildOutcome(IslandId.Parse(owner), ticket, value));
}
