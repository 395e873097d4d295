namespace NasActors.Core.Tests.Strategies;

public sealed class LocalSearchConformance : StrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy(StrategyContext context) => new LocalSearch(context);
}
