using NasActors.Core.Strategies.Predictor;

namespace NasActors.Core.Tests.Strategies;

/// <summary>Model-guided after a short random start, so most of the suite exercises the GP and the neighbourhood candidates.</summary>
public sealed class GuidedConformance : StrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy(StrategyContext context) =>
        new GuidedLocalSearch(context, new GuidedOptions(InitialRandom: 6, Parents: 3, Mutations: 10, RandomCandidates: 20));
}
