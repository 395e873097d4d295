namespace NasActors.Engine.Islands;

/// <summary>Events of an island (manifests in <see cref="Serialization.EntityEventSerializer"/>).</summary>
public interface IIslandEvent;

public static class IslandEvents
{
    public sealed record IslandStarted(IslandSetup Setup) : IIslandEvent;

    /// <summary>A child bred from <paramref name="Parent"/> (a member ticket; null for a random one).</summary>
    public sealed record ChildProposed(int Ticket, double[] Values, long Seed, int? Parent) : IIslandEvent;

    public sealed record ChildEvaluated(int Ticket, double? Objective) : IIslandEvent;

    /// <summary>A migrant joined as member <paramref name="Ticket"/> of this island.</summary>
    public sealed record MigrantAccepted(Migrant Migrant, int Ticket) : IIslandEvent;
}

/// <summary>Snapshot of an island: the evolution's own state (RNG included) plus the island's book-keeping.</summary>
public sealed record IslandSnapshot(
    IslandSetup Setup,
    int NextTicket,
    int Evaluated,
    string Evolution,
    IReadOnlyList<IslandEvents.ChildProposed> InFlight,
    IReadOnlyList<IslandMember> Members,
    IReadOnlyList<string> Migrants);

/// <summary>A living member's lineage data kept by its island (the member entity holds the full record).</summary>
public sealed record IslandMember(int Ticket, int Born, string? Parent, IReadOnlyList<string> Lineage);
