using NasActors.Core.Strategies;
using NasActors.Core.Strategies.MultiFidelity;

namespace NasActors.Core.Tests.Strategies;

/// <summary>Steps at 1, 3 and 5 epochs, stopping from the second report of a step: several continuations per run.</summary>
public sealed class MedianStoppingConformance : StrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy(StrategyContext context) =>
        new MedianStopping(context, new MedianStoppingOptions(MinEpochs: 1, Interval: 2, MinTrials: 2));
}
