using NasActors.Core.Randomness;
using NasActors.Core.Strategies.OneShot;

namespace NasActors.Core.Tests.Strategies;

/// <summary>
/// The retraining phase of a one-shot strategy (<see cref="RetrainDerivedSearch"/>: SPOS phase 3, DARTS, weight-sharing
/// MANAS), handed a ranking as its host would after the supernet phases: here every feasible cell of 400 seeded draws
/// (distinct), so the suite's trials never run out.
/// </summary>
public abstract class RetrainDerivedConformance : StrategyConformanceTests
{
    /// <summary>The strategy before its host hands it a ranking.</summary>
    protected abstract RetrainDerivedSearch CreateUnranked(StrategyContext context);

    protected sealed override ISearchStrategy CreateStrategy(StrategyContext context)
    {
        var strategy = CreateUnranked(context);
        var random = new SeededRandom(context.Seed);
        strategy.Rank(Enumerable.Range(0, 400).Select(_ => context.Space.Sample(random)).Where(context.IsFeasible).Distinct().ToArray());
        return strategy;
    }
}
