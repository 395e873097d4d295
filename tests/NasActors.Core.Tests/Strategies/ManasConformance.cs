using NasActors.Core.Strategies.Manas;

namespace NasActors.Core.Tests.Strategies;

/// <summary>Default agents: one EXP3 agent per decision.</summary>
public sealed class ManasConformance : StrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy(StrategyContext context) =>
        new ManasSearch(context, new ManasOptions());
}
