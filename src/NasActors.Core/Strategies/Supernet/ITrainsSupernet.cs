namespace NasActors.Core.Strategies.Supernet;

/// <summary>
/// A weight-sharing strategy whose supernet is trained in rounds against supernet shards before it proposes anything
/// (SPOS, first-order DARTS): the Engine's driver hands out <see cref="RoundOptions"/>' rounds to workers, then ranks
/// subnets with <see cref="NewRanker"/>, and the ranking comes back through <see cref="IRankedBySupernet.Rank"/>.
/// </summary>
public interface ITrainsSupernet : IRankedBySupernet
{
    /// <summary>The name `nas status` and the logs give the supernet phase ("spos", "darts").</summary>
    string Method { get; }

    /// <summary>
    /// How the rounds run: workers, shards, rounds, batches (or alternations) per round, the staleness bound and the
    /// weights' learning rate. SPOS' own options; other methods map theirs onto the same fields.
    /// </summary>
    SposOptions RoundOptions { get; }

    /// <summary>Phase 2 over the trained blocks (every block, by name); <paramref name="pathKey"/> tells subnets apart.</summary>
    ISubnetRanker NewRanker(IReadOnlyDictionary<string, BlockWeights> trained, Func<Spaces.Genotype, string> pathKey);
}
