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
                new StrategyParameter("sample", 3, 1, 10_000, Help: "tournament size"),
                new StrategyParameter("early_exit_params", 0, 0, 1e12, Integer: false, Help: "EEEA: reject random initial members above this many parameters (0: off)"),
                new StrategyParameter("crossover", 0, 0, 1, Integer: false, Help: "chance of shortest-edit-path crossover before mutation")
            ],
            (context, spec) => new RegularizedEvolution(context, new EvolutionOptions(
                spec.Int("population"), spec.Int("sample"),
                spec.Double("early_exit_params") > 0 ? (long)spec.Double("early_exit_params") : null,
                spec.Double("crossover")))),
        [LocalSearch.Name] = new(LocalSearch.Name, "local search over neighbours with random restarts", [],
            (context, _) => new LocalSearch(context)),
        [DifferentialEvolution.Name] = new(DifferentialEvolution.Name, "differential evolution over a continuous encoding",
            [
                new StrategyParameter("population", 20, 4, 10_000, Help: "vectors in the population"),
                new StrategyParameter("F", 0.5, 0, 2, Integer: false, Help: "differential weight"),
                new StrategyParameter("CR", 0.5, 0, 1, Integer: false, Help: "crossover probability")
            ],
            (context, spec) => new DifferentialEvolution(context, new DifferentialEvolutionOptions(
                spec.Int("population"), spec.Double("F"), spec.Double("CR"))))
    };

    public static IEnumerable<string> Names => Registrations.Keys.Order();

    public static bool TryGet(string name, out StrategyRegistration registration) =>
        Registrations.TryGetValue(name, out registration!);

    public static ISearchStrategy Create(StrategySpec spec, StrategyContext context) =>
        TryGet(spec.Name, out var registration)
            ? registration.Create(context, spec)
            : throw new ArgumentException($"unknown strategy '{spec.Name}'; known: {string.Join(", ", Names)}");
}
