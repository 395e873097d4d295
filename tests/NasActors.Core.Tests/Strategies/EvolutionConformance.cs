namespace NasActors.Core.Tests.Strategies;

/// <summary>A small population so that most of the run breeds children rather than sampling.</summary>
public sealed class EvolutionConformance : StrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy(StrategyContext context) =>
        new RegularizedEvolution(context, new EvolutionOptions(Population: 6, Sample: 3));
}
