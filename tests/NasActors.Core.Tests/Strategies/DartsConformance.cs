using NasActors.Core.Strategies.OneShot;

namespace NasActors.Core.Tests.Strategies;

/// <summary>The retraining phase of DARTS (and of weight-sharing MANAS, the same base).</summary>
public sealed class DartsConformance : RetrainDerivedConformance
{
    protected override RetrainDerivedSearch CreateUnranked(StrategyContext context) => new DartsSearch(context, new DartsOptions());
}
