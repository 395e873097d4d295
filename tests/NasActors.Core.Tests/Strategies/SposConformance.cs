using NasActors.Core.Strategies.OneShot;
using NasActors.Core.Strategies.Supernet;

namespace NasActors.Core.Tests.Strategies;

/// <summary>SPOS phase 3: the best subnets of phases 1-2 retrained as ordinary trials.</summary>
public sealed class SposConformance : RetrainDerivedConformance
{
    protected override RetrainDerivedSearch CreateUnranked(StrategyContext context) => new SposSearch(context, new SposOptions());
}
