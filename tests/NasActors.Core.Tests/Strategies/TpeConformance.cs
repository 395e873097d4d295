using NasActors.Core.Strategies.Tpe;

namespace NasActors.Core.Tests.Strategies;

/// <summary>Optuna's defaults: 10 random start-up trials, 24 candidates, constant liar.</summary>
public sealed class TpeConformance : StrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy(StrategyContext context) => new TpeSearch(context, new TpeOptions());
}

/// <summary>ParEGO-style random scalarisation on the default objectives (accuracy up, parameters down).</summary>
public sealed class RandomScalarisationConformance : StrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy(StrategyContext context) => new RandomScalarisationSearch(context, new TpeOptions());
}
