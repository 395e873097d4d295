using NasActors.Core.Strategies.Reinforcement;

namespace NasActors.Core.Tests.Strategies;

/// <summary>A large step so the policy has clearly moved by the time snapshots are compared.</summary>
public sealed class ReinforceConformance : StrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy(StrategyContext context) =>
        new ReinforceSearch(context, new ReinforceOptions(LearningRate: 0.5));
}
