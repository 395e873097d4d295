using NasActors.Core.Specs;
using NasActors.Core.Strategies.Supernet;

namespace NasActors.Core.Tests.Strategies;

/// <summary>What the conformance suite cannot see: every registered name builds from its spec defaults and runs.</summary>
public sealed class RegisteredStrategiesTests
{
    public static TheoryData<string> Names => new(StrategyRegistry.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void Builds_from_its_spec_defaults_and_runs_within_the_limits(string name)
    {
        StrategyRegistry.TryGet(name, out var registration);
        // Defaults, but a smaller predictor pool keeps the test fast.
        var spec = new StrategySpec(name, registration.Parameters.ToDictionary(p => p.Name, p => p.Name == "pool_size" ? 200 : p.Default));
        var context = Context(seed: 7, maxParameters: 20_000);
        var strategy = StrategyRegistry.Create(spec, context);
        // SPOS proposes what its supernet phases ranked; its host hands that ranking over first.
        if (strategy is IRankedBySupernet ranked)
            ranked.Rank(Enumerable.Range(0, 200).Select(i => context.Space.Sample(new NasActors.Core.Randomness.SeededRandom(i))).Where(context.IsFeasible).Distinct().Take(60).ToArray());

        var results = Run(strategy, 30);

        Assert.All(results, r => Assert.True(context.IsFeasible(r.Trial.Genotype)));
        Assert.Empty(strategy.Pending);
    }
}
