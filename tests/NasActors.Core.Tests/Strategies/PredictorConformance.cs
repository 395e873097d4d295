using NasActors.Core.Strategies.Predictor;

namespace NasActors.Core.Tests.Strategies;

/// <summary>Model-guided for most of the run, with retraining and pruning; a small pool and few trees keep it fast.</summary>
public sealed class PredictorConformance : StrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy(StrategyContext context) =>
        new PredictorSearch(context, new PredictorOptions(InitialRandom: 8, PoolSize: 100, RetrainEvery: 8, new GbdtOptions(Trees: 10, Leaves: 4), PruneImportance: 0.2));
}
