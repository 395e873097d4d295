using NasActors.Core.Randomness;
using NasActors.Core.Strategies;
using NasActors.Core.Strategies.Supernet;

namespace NasActors.Core.Tests.Strategies;

/// <summary>
/// SPOS phase 3, handed a ranking as its host would after phases 1-2: here every feasible subnet of
/// 400 seeded draws (distinct), so the suite's trials never run out.
/// </summary>
public sealed class SposConformance : StrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy(StrategyContext context)
    {
        var strategy = new SposSearch(context, new SposOptions());
        var random = new SeededRandom(context.Seed);
        strategy.Rank(Enumerable.Range(0, 400).Select(_ => context.Space.Sample(random)).Where(context.IsFeasible).Distinct().ToArray());
        return strategy;
    }
}
