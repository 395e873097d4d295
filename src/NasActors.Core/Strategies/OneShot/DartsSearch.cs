using NasActors.Core.Spaces;
using NasActors.Core.Strategies.Supernet;

namespace NasActors.Core.Strategies.OneShot;

/// <summary>
/// First-order DARTS. Through the search coordinator its supernet (weights and α) is trained in rounds on supernet
/// shards (the Engine's driver, the Training project's <c>Supernet/DartsSupernet</c>), the cells are read off the
/// trained α (<see cref="AlphaRanking"/>), and this retrains them; bench/SupernetBench runs the same steps in one
/// process (<c>Supernet/Nb201OneShot</c>).
/// </summary>
public sealed class DartsSearch(StrategyContext context, DartsOptions options) : RetrainDerivedSearch(context), ITrainsSupernet
{
    public const string Name = DartsOptions.Name;

    /// <summary>The block holding α: one tensor of this name, one row per edge, one column per op.</summary>
    public const string AlphaBlock = "alpha";

    public DartsOptions Options { get; } = options;

    public string Method => Name;

    public SposOptions RoundOptions => Options.RoundOptions;

    public ISubnetRanker NewRanker(IReadOnlyDictionary<string, BlockWeights> trained, Func<Genotype, string> pathKey) =>
        trained.TryGetValue(AlphaBlock, out var alpha)
            ? new AlphaRanking(Context.Space, alpha)
            : throw new InvalidOperationException($"the trained DARTS supernet has no block '{AlphaBlock}'");
}
