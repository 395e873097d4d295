using NasActors.Core.Strategies;
using NasActors.Core.Strategies.MultiFidelity;

namespace NasActors.Core.Tests.Strategies;

/// <summary>Few points per density so the model is fitted, sampled and snapshotted within the run.</summary>
public sealed class BohbConformance : StrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy(StrategyContext context) =>
        new Bohb(context, new MultiFidelityOptions(MinEpochs: 1, Eta: 2), new BohbOptions(MinPoints: 3));
}
