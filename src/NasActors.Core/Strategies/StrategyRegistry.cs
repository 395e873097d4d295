using NasActors.Core.Specs;
using NasActors.Core.Strategies.Reinforcement;

namespace NasActors.Core.Strategies;

/// <summary>A numeric strategy parameter as it may appear under <c>strategy:</c> in a spec.</summary>
public sealed record StrategyParameter(string Name, double Default, double Min, double Max, bool Integer = true, string Help = "");

/// <summary>How a strategy is named in specs, what parameters it takes and how it is built.</summary>
public sealed record StrategyRegistration(
    string Name,
    string Summary,
    IReadOnlyList<StrategyParameter> Parameters,
    Func<StrategyContext, StrategySpec, ISearchStrategy> Create);

/// <summary>All strategies by spec name. Adding a strategy is one class plus one line here.</summary>
public static class StrategyRegistry
{
    private static readonly Dictionary<string, StrategyRegistration> Registrations = new(StringComparer.Ordinal)
    {
        [RandomSearch.Name] = new(RandomSearch.Name, "uniform random search", [],
            (context, _) => new RandomSearch(context)),
        [RegularizedEvolution.Name] = new(RegularizedEvolution.Name, "regularized (aging) evolution",
            [
                new StrategyParameter("population", 10, 2, 10_000, Help: "members kept alive"),
                new StrategyParameter("sample", 3, 1, 10_000, Help: "tournament size")
            ],
            (context, spec) => new RegularizedEvolution(context, new EvolutionOptions(spec.Int("population"), spec.Int("sample")))),
        [ReinforceSearch.Name] = new(ReinforceSearch.Name, "REINFORCE controller with TabNAS rejection sampling",
            [
                new StrategyParameter("learning_rate", 0.1, 1e-6, 100, Integer: false, Help: "policy-gradient step size"),
                new StrategyParameter("entropy_bonus", 0.01, 0, 10, Integer: false, Help: "weight of the policy entropy"),
                new StrategyParameter("baseline_decay", 0.9, 0, 1, Integer: false, Help: "moving-average factor of the reward baseline"),
                new StrategyParameter("grid", 8, 2, 1000, Help: "values a continuous decision is discretised into"),
                new StrategyParameter("feasibility_samples", 32, 1, 100_000, Help: "Monte-Carlo samples estimating the feasible mass"),
                new StrategyParameter("max_staleness", 1000, 0, 1_000_000, Help: "drop rewards sampled more policy versions ago"),
                new StrategyParameter("staleness_decay", 1.0, 0, 1, Integer: false, Help: "weight decay^lag of a stale reward")
            ],
            (context, spec) => new ReinforceSearch(context, new ReinforceOptions(
                spec.Double("learning_rate"), spec.Double("entropy_bonus"), spec.Double("baseline_decay"), spec.Int("grid"),
                spec.Int("feasibility_samples"), spec.Int("max_staleness"), spec.Double("staleness_decay"))))
    };

    public static IEnumerable<string> Names => Registrations.Keys.Order();

    public static bool TryGet(string name, out StrategyRegistration registration) =>
        Registrations.TryGetValue(name, out registration!);

    public static ISearchStrategy Create(StrategySpec spec, StrategyContext context) =>
        TryGet(spec.Name, out var registration)
            ? registration.Create(context, spec)
            : throw new ArgumentException($"unknown strategy '{spec.Name}'; known: {string.Join(", ", Names)}");
}
