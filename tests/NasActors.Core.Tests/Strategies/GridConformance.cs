using NasActors.Core.Strategies;

namespace NasActors.Core.Tests.Strategies;

/// <summary>Two repeats per configuration; the conformance spaces have more configurations than a run asks for.</summary>
public sealed class GridConformance : StrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy(StrategyContext context) => new GridSearch(context, gridPoints: 3, repeats: 2);
}
