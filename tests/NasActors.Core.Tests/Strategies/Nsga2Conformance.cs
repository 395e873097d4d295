using NasActors.Core.Strategies.MultiObjective;

namespace NasActors.Core.Tests.Strategies;

/// <summary>A small population so most of the run breeds children.</summary>
public sealed class Nsga2Conformance : StrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy(StrategyContext context) =>
        new Nsga2(context, new Nsga2Options(Population: 8));
}
