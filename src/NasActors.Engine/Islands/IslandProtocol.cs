using System.Text.Json.Serialization;
using NasActors.Engine.Searches;

namespace NasActors.Engine.Islands;

/// <summary>What an island is told and what it answers.</summary>
public static class IslandProtocol
{
    /// <summary>Idempotent: the first one fixes the island's setup, later ones are ignored.</summary>
    public sealed record StartIsland(IslandId IslandId, IslandSetup Setup) : IIslandMessage;

    /// <summary>
    /// Breeds children up to the island's in-flight limit and answers <see cref="SearchProtocol.ProposalsOffered"/>
    /// with every child still in flight (re-offering ones the coordinator may have lost; it ignores known tickets).
    /// </summary>
    public sealed record RequestChildren(IslandId IslandId) : IIslandMessage;

    /// <summary>A child's objective (null: the trial failed). Answered with <see cref="SearchProtocol.OutcomesAcknowledged"/> once persisted.</summary>
    public sealed record ReportChildOutcome(IslandId IslandId, int Ticket, double? Objective) : IIslandMessage;

    /// <summary>Another island's best member, sent every <see cref="IslandSetup.MigrationEvery"/> evaluations.</summary>
    public sealed record AcceptMigrant(IslandId IslandId, Migrant Migrant) : IIslandMessage;

    public sealed record GetIsland(IslandId IslandId) : IIslandMessage;
}

/// <param name="Spec">the search's spec, to build the space and the evolution options</param>
/// <param name="Islands">how many islands the search runs (migration goes to the next one, in a ring)</param>
/// <param name="InFlight">K: children proposed and not yet evaluated, at most</param>
/// <param name="MigrationEvery">evaluations between migrations; 0: never</param>
public sealed record IslandSetup(SearchSpecData Spec, int Islands, int InFlight, int MigrationEvery);

/// <summary>A member leaving its island for another; (FromIsland, FromTicket) identifies it, so a re-sent migrant arrives once.</summary>
public sealed record Migrant(int FromIsland, int FromTicket, double[] Values, double Fitness, IReadOnlyList<string> Lineage)
{
    [JsonIgnore]
    public string Key => $"{FromIsland}:{FromTicket}";
}

/// <summary>Answer to <see cref="IslandProtocol.GetIsland"/>.</summary>
public sealed record IslandView(
    IslandId IslandId,
    int Evaluated,
    int NextTicket,
    IReadOnlyList<int> InFlight,
    IReadOnlyList<MemberSummary> Population,
    int MigrantsAccepted,
    string? EvolutionState);

/// <summary>A living member as the island sees it.</summary>
public sealed record MemberSummary(int Ticket, string Architecture, double Fitness, string? Parent);
