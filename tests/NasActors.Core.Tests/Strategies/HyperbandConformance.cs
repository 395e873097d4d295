using NasActors.Core.Strategies;
using NasActors.Core.Strategies.MultiFidelity;

namespace NasActors.Core.Tests.Strategies;

/// <summary>η = 2 over 1..5 epochs: several rungs and promotions within the run.</summary>
public sealed class HyperbandConformance : StrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy(StrategyContext context) =>
        new Hyperband(context, new MultiFidelityOptions(MinEpochs: 1, Eta: 2));
}
