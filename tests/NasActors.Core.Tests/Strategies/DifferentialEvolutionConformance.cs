namespace NasActors.Core.Tests.Strategies;

public sealed class DifferentialEvolutionConformance : StrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy(StrategyContext context) =>
        new DifferentialEvolution(context, new DifferentialEvolutionOptions(Population: 8, F: 0.5, CR: 0.7));
}
