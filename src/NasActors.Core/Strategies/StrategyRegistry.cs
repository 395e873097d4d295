using NasActors.Core.Specs;
using NasActors.Core.Strategies.Manas;
using NasActors.Core.Strategies.MultiFidelity;
using NasActors.Core.Strategies.MultiObjective;
using NasActors.Core.Strategies.OneShot;
using NasActors.Core.Strategies.Predictor;
using NasActors.Core.Strategies.Reinforcement;
using NasActors.Core.Strategies.Supernet;
using NasActors.Core.Strategies.Tpe;

namespace NasActors.Core.Strategies;

/// <summary>A numeric strategy parameter as it may appear under <c>strategy:</c> in a spec.</summary>
public sealed record StrategyParameter(string Name, double Default, double Min, double Max, bool Integer = true, string Help = "");

/// <summary>
/// A named option of a strategy (<c>controller: lstm</c>). The allowed values are read when a spec is,
/// so options registered at startup by other assemblies (controllers) are offered too.
/// </summary>
public sealed record StrategyChoice(string Name, string Default, Func<IEnumerable<string>> Allowed, string Help = "");

/// <summary>How a strategy is named in specs, what parameters and named options it takes and how it is built.</summary>
public sealed record StrategyRegistration(
    string Name,
    string Summary,
    IReadOnlyList<StrategyParameter> Parameters,
    Func<StrategyContext, StrategySpec, ISearchStrategy> Create)
{
    public IReadOnlyList<StrategyChoice> Choices { get; init; } = [];

    /// <summary>A strategy whose parameters are those of one options record, declared by <paramref name="table"/>.</summary>
    public static StrategyRegistration Of<T>(string name, string summary, ParameterTable<T> table, Func<StrategyContext, T, ISearchStrategy> create) =>
        new(name, summary, table.Parameters, (context, spec) => create(context, table.Bind(spec)));
}

/// <summary>All strategies by spec name. Adding a strategy is one class plus one line here.</summary>
public static class StrategyRegistry
{
    private static readonly Dictionary<string, StrategyRegistration> Registrations = new(StringComparer.Ordinal)
    {
        [RandomSearch.Name] = new(RandomSearch.Name, "uniform random search", [],
            (context, _) => new RandomSearch(context)),
        [GridSearch.Name] = new(GridSearch.Name, "every configuration of a finite grid, in a seeded order (nas bench build-table)",
            [
                new StrategyParameter("grid", 5, 1, 1000, Help: "values a continuous decision takes (log-spaced for log-uniform ranges)"),
                new StrategyParameter("repeats", 1, 1, 1000, Help: "trainings of each configuration, each with its own seed")
            ],
            (context, spec) => new GridSearch(context, spec.Int("grid"), spec.Int("repeats"))),
        [RegularizedEvolution.Name] = new(RegularizedEvolution.Name, "regularized (aging) evolution",
            [
                new StrategyParameter("population", 10, 2, 10_000, Help: "members kept alive"),
                new StrategyParameter("sample", 3, 1, 10_000, Help: "tournament size"),
                new StrategyParameter("early_exit_params", 0, 0, 1e12, Integer: false, Help: "EEEA: reject random initial members above this many parameters (0: off)"),
                new StrategyParameter("crossover", 0, 0, 1, Integer: false, Help: "chance of shortest-edit-path crossover before mutation"),
                new StrategyParameter("islands", 1, 1, 1_000, Help: "islands evolving apart (needs execution.entities)"),
                new StrategyParameter("migration_every", 0, 0, 1_000_000, Help: "an island sends its best member to the next after this many evaluations (0: never)")
            ],
            (context, spec) => new RegularizedEvolution(context, new EvolutionOptions(
                spec.Int("population"), spec.Int("sample"),
                spec.Double("early_exit_params") > 0 ? (long)spec.Double("early_exit_params") : null,
                spec.Double("crossover")))),
        [LocalSearch.Name] = new(LocalSearch.Name, "local search over neighbours with random restarts", [],
            (context, _) => new LocalSearch(context)),
        [DifferentialEvolution.Name] = StrategyRegistration.Of(DifferentialEvolution.Name, "differential evolution over a continuous encoding",
            DifferentialEvolutionOptions.Table, (context, options) => new DifferentialEvolution(context, options)),
        [ReinforceSearch.Name] = new(ReinforceSearch.Name, "REINFORCE controller with TabNAS rejection sampling",
            ReinforceOptions.Table.Parameters, Reinforce)
        {
            Choices = [new StrategyChoice("controller", PolicyRegistry.Factorized, () => PolicyRegistry.Names, "policy form: an independent softmax per decision, or lstm (NasActors.Training)")]
        },
        [ManasSearch.Name] = StrategyRegistration.Of(ManasSearch.Name, "MANAS: one EXP3 agent per decision, shared reward",
            ManasOptions.Table, (context, options) => new ManasSearch(context, options)),
        [Hyperband.Name] = new(Hyperband.Name, "Hyperband: concurrent brackets of successive halving over epochs, promotions continue their trial",
            FidelityParameters, (context, spec) => new Hyperband(context, Fidelity(spec))),
        [Asha.Name] = new(Asha.Name, "asynchronous successive halving",
            FidelityParameters, (context, spec) => new Asha(context, Fidelity(spec))),
        [MedianStopping.Name] = new(MedianStopping.Name, "median stopping rule: random configurations trained in steps, stopped below the median of their step",
            [
                new StrategyParameter("min_epochs", 1, 1, 100_000, Help: "epochs of the first step"),
                new StrategyParameter("interval", 3, 1, 100_000, Help: "epochs between later steps"),
                new StrategyParameter("max_epochs", 0, 0, 100_000, Help: "epochs of the full training (0: training.epochs)"),
                new StrategyParameter("min_trials", 5, 0, 100_000, Help: "reports a step needs before it stops anything")
            ],
            (context, spec) => new MedianStopping(context, new MedianStoppingOptions(
                spec.Int("min_epochs"), spec.Int("interval"), spec.Int("max_epochs"), spec.Int("min_trials")))),
        [Bohb.Name] = new(Bohb.Name, "BOHB: Hyperband with a TPE-style kernel density model",
            [
                .. FidelityParameters,
                new StrategyParameter("random_fraction", 1.0 / 3, 0, 1, Integer: false, Help: "share of configurations drawn at random"),
                new StrategyParameter("top_fraction", 0.15, 0.01, 0.99, Integer: false, Help: "share of results in the good density"),
                new StrategyParameter("candidates", 64, 1, 100_000, Help: "draws from the good density per proposal"),
                new StrategyParameter("bandwidth_factor", 3, 1, 100, Integer: false, Help: "bandwidth widening when drawing candidates"),
                new StrategyParameter("bandwidth", 0.2, 0.001, 1, Integer: false, Help: "categorical kernel bandwidth"),
                new StrategyParameter("min_bandwidth", 1e-3, 1e-6, 1, Integer: false, Help: "smallest continuous bandwidth"),
                new StrategyParameter("min_points", 0, 0, 100_000, Help: "observations per density; 0 = decisions + 1")
            ],
            (context, spec) => new Bohb(context, Fidelity(spec), new BohbOptions(
                spec.Double("random_fraction"), spec.Double("top_fraction"), spec.Int("candidates"), spec.Double("bandwidth_factor"),
                spec.Double("bandwidth"), spec.Double("min_bandwidth"), spec.Int("min_points")))),
        [Nsga2.Name] = new(Nsga2.Name, "NSGA-II, steady state, on the spec's objectives",
            [
                new StrategyParameter("population", 20, 2, 10_000, Help: "members kept alive"),
                new StrategyParameter("tournament", 2, 1, 100, Help: "contenders per parent selection"),
                new StrategyParameter("crossover_rate", 0.9, 0, 1, Integer: false, Help: "chance of uniform crossover"),
                new StrategyParameter("mutation_rate", 0.5, 0, 1, Integer: false, Help: "chance of mutating a child"),
                new StrategyParameter("single_objective", 0, 0, 1, Help: "1: rank by the spec's primary objective alone (a steady-state GA with crowding)")
            ],
            (context, spec) => new Nsga2(context, new Nsga2Options(spec.Int("single_objective") == 1 ? [context.Objectives[0]] : null,
                spec.Int("population"), spec.Int("tournament"), spec.Double("crossover_rate"), spec.Double("mutation_rate")))),
        [TpeSearch.Name] = StrategyRegistration.Of(TpeSearch.Name, "TPE as Optuna's TPESampler runs it (univariate Parzen estimators, constant liar)",
            TpeOptions.Table, (context, options) => new TpeSearch(context, options)),
        [RandomScalarisationSearch.Name] = StrategyRegistration.Of(RandomScalarisationSearch.Name, "ParEGO-style random scalarisation of several objectives, TPE as the model",
            TpeOptions.Table, (context, options) => new RandomScalarisationSearch(context, options)),
        [PredictorSearch.Name] = StrategyRegistration.Of(PredictorSearch.Name, "GBDT-predictor-guided search (gradient-boosted trees, retrained every few results)",
            PredictorOptions.Table, (context, options) => new PredictorSearch(context, options)),
        [SposSearch.Name] = StrategyRegistration.Of(SposSearch.Name, "SPOS: weight-sharing supernet on shards, evolution with inherited weights, best retrained",
            SposOptions.Table, (context, options) => new SposSearch(context, options)),
        [DartsSearch.Name] = StrategyRegistration.Of(DartsSearch.Name, "first-order DARTS on the NAS-Bench-201 cell: α by gradient on validation batches, argmax cell retrained",
            DartsOptions.Table, (context, options) => new DartsSearch(context, options)),
        [ManasSupernetSearch.Name] = StrategyRegistration.Of(ManasSupernetSearch.Name, "MANAS with weight sharing: EXP3 edge agents rewarded on the supernet's validation batch, their cell retrained",
            ManasSupernetOptions.Table, (context, options) => new ManasSupernetSearch(context, options)),
        [GuidedLocalSearch.Name] = StrategyRegistration.Of(GuidedLocalSearch.Name, "predictor-guided local search: a GP picks among the best results' neighbourhoods",
            GuidedOptions.Table, (context, options) => new GuidedLocalSearch(context, options))
    };

    private static StrategyParameter[] FidelityParameters =>
    [
        new("min_epochs", 1, 1, 100_000, Help: "epochs of the lowest rung"),
        new("max_epochs", 0, 0, 100_000, Help: "epochs of the highest rung; 0 = training.epochs"),
        new("eta", 3, 2, 100, Help: "reduction factor between rungs")
    ];

    /// <summary>REINFORCE with the controller the spec names, over the grid its options discretise the space into.</summary>
    private static ReinforceSearch Reinforce(StrategyContext context, StrategySpec spec)
    {
        var options = ReinforceOptions.Table.Bind(spec);
        var policy = PolicyRegistry.Create(spec.Text("controller"), new ChoiceGrid(context.Space, options.GridPoints).Choices, context.Seed);
        return new ReinforceSearch(context, options, policy);
    }

    private static MultiFidelityOptions Fidelity(StrategySpec spec) =>
        new(spec.Int("min_epochs"), spec.Int("max_epochs"), spec.Int("eta"));

    public static IEnumerable<string> Names => Registrations.Keys.Order();

    public static bool TryGet(string name, out StrategyRegistration registration) =>
        Registrations.TryGetValue(name, out registration!);

    /// <summary>
    /// Builds the strategy a spec names. Parameters and options the spec leaves out take their registered
    /// defaults, so a spec stored before a strategy gained a parameter still recovers.
    /// </summary>
    public static ISearchStrategy Create(StrategySpec spec, StrategyContext context)
    {
        if (!TryGet(spec.Name, out var registration))
            throw new ArgumentException($"unknown strategy '{spec.Name}'; known: {string.Join(", ", Names)}");
        var parameters = registration.Parameters.ToDictionary(p => p.Name, p => spec.Parameters.GetValueOrDefault(p.Name, p.Default));
        var options = registration.Choices.ToDictionary(c => c.Name, c => spec.Options.GetValueOrDefault(c.Name, c.Default));
        return registration.Create(context, spec with { Parameters = parameters, Options = options });
    }
}
