namespace NasActors.Core.Tests.Strategies;

/// <summary>Evolution with EEEA early exit and edit-path crossover on, built through the registry as a spec would.</summary>
public sealed class EvolutionExtrasConformance : StrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy(StrategyContext context) =>
        StrategyRegistry.Create(new NasActors.Core.Specs.StrategySpec(RegularizedEvolution.Name, new Dictionary<string, double>
        {
            ["population"] = 6, ["sample"] = 3, ["early_exit_params"] = 400_000, ["crossover"] = 0.5
        }), context);
}
