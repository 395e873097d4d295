using NasActors.Core.Specs;

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
            (context, spec) => new RegularizedEvolution(context, new EvolutionOptions(spec.Int("population"), spec.Int("sample"))))
    };

    public static IEnumerable<string> Names => Registrations.Keys.Order();

    public static bool TryGet(string name, out StrategyRegistration registration) =>
        Registrations.TryGetValue(name, out registration!);

    public static ISearchStrategy Create(StrategySpec spec, StrategyContext context) =>
        TryGet(spec.Name, out var registration)
            ? registration.Create(context, spec)
            : throw new ArgumentException($"unknown strategy '{spec.Name}'; known: {string.Join(", ", Names)}");
}
