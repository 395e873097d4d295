using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies;

/// <summary>Everything a strategy is built with: the space, the default fidelity, the seed and hard limits.</summary>
public sealed record StrategyContext(SearchSpace Space, Fidelity Fidelity, long Seed, long? MaxParameters = null)
{
    public bool IsFeasible(Genotype genotype) => MaxParameters is null || Space.ParameterCount(genotype) <= MaxParameters;
}
