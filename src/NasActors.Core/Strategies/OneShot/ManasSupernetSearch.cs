using NasActors.Core.Spaces;
using NasActors.Core.Strategies.Supernet;

namespace NasActors.Core.Strategies.OneShot;

/// <summary>
/// MANAS with weight sharing. Through the search coordinator the Engine's supernet driver asks one persistent agent per
/// edge for each round's joint pick, trains that path on the supernet shards, and shares the path's validation-batch
/// accuracy with every agent; the cells are then read off the agents' distributions (their favourite cell first) and
/// this retrains them. bench/SupernetBench runs the same steps in one process (Training's <c>Supernet/Nb201OneShot</c>).
/// </summary>
public sealed class ManasSupernetSearch(StrategyContext context, ManasSupernetOptions options) : RetrainDerivedSearch(context), ITrainsSupernet
{
    public const string Name = ManasSupernetOptions.Name;

    public ManasSupernetOptions Options { get; } = options;

    public string Method => Name;

    /// <summary>One worker: EXP3 learns from one joint pick at a time, as in the paper (more workers pick ahead of the rewards).</summary>
    public SposOptions RoundOptions => new(Workers: 1, Shards: 2, Rounds: Options.Rounds, BatchesPerRound: Options.BatchesPerRound,
        MaxStaleness: 8, SupernetLearningRate: Options.SupernetLearningRate);

    /// <summary>The agents rank the cells (the driver reads their distributions); the trained weights have nothing to add.</summary>
    public ISubnetRanker NewRanker(IReadOnlyDictionary<string, BlockWeights> trained, Func<Genotype, string> pathKey) =>
        throw new InvalidOperationException("weight-sharing MANAS ranks by its agents' distributions, which the supernet driver reads");
}
