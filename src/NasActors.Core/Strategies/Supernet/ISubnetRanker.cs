using NasActors.Core.Spaces;

namespace NasActors.Core.Strategies.Supernet;

/// <summary>
/// Phase 2 of a round-trained weight-sharing search, run by the Engine's supernet driver once every round is in the
/// shards: it asks for generations of subnets to score with the inherited weights until one comes back empty, then
/// reports <see cref="Ranking"/>. SPOS evolves subnets (<see cref="SubnetEvolution"/>); first-order DARTS reads the
/// cell off α and asks for nothing (<see cref="OneShot.AlphaRanking"/>).
/// </summary>
public interface ISubnetRanker
{
    /// <summary>The next subnets to score; empty when the ranking is final.</summary>
    IReadOnlyList<Genotype> NextGeneration();

    void Record(Genotype genotype, double score);

    /// <summary>Best first.</summary>
    IReadOnlyList<(Genotype Genotype, double Score)> Ranking { get; }
}
