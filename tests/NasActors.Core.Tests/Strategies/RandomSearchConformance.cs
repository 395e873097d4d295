namespace NasActors.Core.Tests.Strategies;

public sealed class RandomSearchConformance : StrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy(StrategyContext context) => new RandomSearch(context);
}
