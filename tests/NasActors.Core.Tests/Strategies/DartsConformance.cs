using NasActors.Core.Randomness;
using NasActors.Core.Strategies;
using NasActors.Core.Strategies.OneShot;

namespace NasActors.Core.Tests.Strategies;

/// <summary>The retraining phase of DARTS (and of weight-sharing MANAS, the same base), handed 400 seeded distinct cells as its host would hand the derived ones.</summary>
public sealed class DartsConformance : StrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy(StrategyContext context)
    {
        var strategy = new DartsSearch(context, new DartsOptions());
        var random = new SeededRandom(context.Seed);
        strategy.Rank(Enumerable.Range(0, 400).Select(_ => context.Space.Sample(random)).Where(context.IsFeasible).Distinct().ToArray());
        return strategy;
    }
}
