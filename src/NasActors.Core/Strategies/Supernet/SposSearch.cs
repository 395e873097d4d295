using NasActors.Core.Spaces;
using NasActors.Core.Strategies.OneShot;

namespace NasActors.Core.Strategies.Supernet;

/// <summary>
/// A strategy whose proposals are a ranking computed outside the search (by the supernet actors).
/// It proposes nothing until <see cref="Rank"/> is called; the host must make that call durable
/// (journal it before applying) so replay reaches the same state.
/// </summary>
public interface IRankedBySupernet
{
    bool Ranked { get; }

    void Rank(IReadOnlyList<Genotype> ranking);
}

/// <summary>
/// SPOS phase 3: the subnets phase 2 ranked best are retrained from scratch as ordinary trials, in
/// rank order, one proposal per trial the budget allows (a failed trial is replaced by the next in
/// rank). Phases 1 and 2 run in the Engine (<c>Supernets/SupernetRun</c>), which hands the ranking here;
/// the retraining itself is <see cref="RetrainDerivedSearch"/>'s, shared with DARTS and weight-sharing MANAS.
/// </summary>
public sealed class SposSearch(StrategyContext context, SposOptions options) : RetrainDerivedSearch(context), ITrainsSupernet
{
    public const string Name = "spos";

    public SposOptions Options { get; } = options;

    public string Method => Name;

    public SposOptions RoundOptions => Options;

    /// <summary>Phase 2: evolution over subnets scored with the inherited weights.</summary>
    public ISubnetRanker NewRanker(IReadOnlyDictionary<string, BlockWeights> trained, Func<Genotype, string> pathKey) =>
        new SubnetEvolution(Context, Options, pathKey);
}
