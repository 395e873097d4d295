using System.Globalization;
using NasActors.Core.Specs;
using NasActors.Core.Strategies.Reinforcement;
using NasActors.Core.Strategies.Supernet;

namespace NasActors.Core.Tests.Specs;

/// <summary>
/// Every registered strategy is selectable from a spec: <c>strategy: {name: X, ...}</c> reads through
/// <see cref="SpecReader"/>, keeps the parameters it was given, and builds through
/// <see cref="SearchDefinition.CreateStrategy"/>; mistakes in the block name the key and what is allowed.
/// </summary>
public sealed class StrategyFromYamlTests : IDisposable
{
    private readonly SpecFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string> Names => new(StrategyRegistry.Names);

    /// <summary>
    /// A valid, non-default value for every parameter of every strategy, chosen by hand because some must
    /// agree with each other (min_epochs below max_epochs). A parameter added to the registry without a
    /// value here fails <see cref="Every_parameter_has_a_non_default_value_here"/>.
    /// </summary>
    private static readonly Dictionary<string, Dictionary<string, double>> NonDefaults = new()
    {
        ["random"] = [],
        ["local"] = [],
        ["evolution"] = new() { ["population"] = 12, ["sample"] = 4, ["early_exit_params"] = 1e6, ["crossover"] = 0.25, ["islands"] = 2, ["migration_every"] = 5 },
        ["de"] = new() { ["population"] = 8, ["F"] = 0.7, ["CR"] = 0.3 },
        ["reinforce"] = new()
        {
            ["learning_rate"] = 1.5, ["entropy_bonus"] = 0.02, ["baseline_decay"] = 0.8, ["grid"] = 6,
            ["feasibility_samples"] = 16, ["max_staleness"] = 50, ["staleness_decay"] = 0.9, ["sampled_gradients"] = 1,
            ["reward_window"] = 20
        },
        ["manas"] = new() { ["gamma"] = 0.2, ["grid"] = 5, ["learning_rate"] = 0.5, ["reward_window"] = 20 },
        ["tpe"] = new() { ["n_startup_trials"] = 5, ["n_ei_candidates"] = 12, ["prior_weight"] = 2, ["constant_liar"] = 0, ["avoid_repeats"] = 0 },
        ["parego"] = new() { ["n_startup_trials"] = 5, ["n_ei_candidates"] = 12, ["prior_weight"] = 2, ["constant_liar"] = 0, ["avoid_repeats"] = 0 },
        ["hyperband"] = new() { ["min_epochs"] = 2, ["max_epochs"] = 8, ["eta"] = 2 },
        ["asha"] = new() { ["min_epochs"] = 2, ["max_epochs"] = 8, ["eta"] = 2 },
        ["median_stopping"] = new() { ["min_epochs"] = 2, ["interval"] = 2, ["max_epochs"] = 8, ["min_trials"] = 3 },
        ["grid"] = new() { ["grid"] = 2, ["repeats"] = 2 },
        ["bohb"] = new()
        {
            ["min_epochs"] = 2, ["max_epochs"] = 8, ["eta"] = 2, ["random_fraction"] = 0.5, ["top_fraction"] = 0.2,
            ["candidates"] = 16, ["bandwidth_factor"] = 2, ["bandwidth"] = 0.3, ["min_bandwidth"] = 0.01, ["min_points"] = 3
        },
        ["nsga2"] = new() { ["population"] = 8, ["tournament"] = 3, ["crossover_rate"] = 0.8, ["mutation_rate"] = 0.4, ["single_objective"] = 1 },
        ["predictor"] = new()
        {
            ["initial_random"] = 4, ["pool_size"] = 50, ["retrain_every"] = 3, ["trees"] = 10, ["leaves"] = 4, ["prune_importance"] = 0.2
        },
        ["spos"] = new()
        {
            ["workers"] = 3, ["shards"] = 4, ["rounds"] = 50, ["batches_per_round"] = 2, ["max_staleness"] = 4, ["supernet_lr"] = 0.1,
            ["population"] = 8, ["generations"] = 3, ["parents"] = 2, ["calibration_batches"] = 2
        },
        ["darts"] = new()
        {
            ["steps"] = 50, ["weight_lr"] = 0.01, ["alpha_lr"] = 0.001, ["alpha_weight_decay"] = 0.002, ["channels"] = 4, ["cells_per_stage"] = 2, ["resolution"] = 16,
            ["steps_per_round"] = 5, ["workers"] = 2, ["shards"] = 3, ["max_staleness"] = 4
        },
        ["manas-supernet"] = new()
        {
            ["rounds"] = 50, ["batches_per_round"] = 2, ["gamma"] = 0.3, ["learning_rate"] = 0.5, ["supernet_lr"] = 0.01, ["channels"] = 4, ["cells_per_stage"] = 2, ["resolution"] = 16
        },
        ["guided"] = new()
        {
            ["initial_random"] = 4, ["parents"] = 3, ["mutations"] = 10, ["random_candidates"] = 12, ["kappa"] = 1, ["length_scale"] = 1.5, ["noise"] = 0.1
        }
    };

    [Theory, MemberData(nameof(Names))]
    public void Every_parameter_has_a_non_default_value_here(string name)
    {
        StrategyRegistry.TryGet(name, out var registration);
        Assert.True(NonDefaults.TryGetValue(name, out var values), $"no non-default values for strategy '{name}'");
        Assert.Equal(registration.Parameters.Select(p => p.Name).Order(), values.Keys.Order());
        Assert.All(registration.Parameters, p => Assert.NotEqual(p.Default, values[p.Name]));
    }

    [Theory, MemberData(nameof(Names))]
    public void Loads_with_non_default_parameters_and_builds_a_strategy_that_proposes(string name)
    {
        var values = NonDefaults[name];
        var spec = Read(StrategyBlock(name, values));

        Assert.Equal(name, spec.Strategy.Name);
        Assert.Equal(values.OrderBy(kv => kv.Key), spec.Strategy.Parameters.OrderBy(kv => kv.Key));
        var definition = SearchDefinition.From(spec, new DatasetShape(4, 3));
        var strategy = definition.CreateStrategy();
        // SPOS proposes what its supernet phases ranked; its host hands that ranking over first.
        if (strategy is IRankedBySupernet ranked) ranked.Rank([definition.Space.Sample(new NasActors.Core.Randomness.SeededRandom(1))]);
        Assert.NotNull(strategy.Ask(1));
    }

    [Theory, MemberData(nameof(Names))]
    public void An_unknown_parameter_is_named_and_the_allowed_keys_are_listed(string name)
    {
        StrategyRegistry.TryGet(name, out var registration);
        var e = Assert.Throws<SpecException>(() => Read(StrategyBlock(name, new Dictionary<string, double> { ["temperature"] = 1 })));
        var allowed = string.Join(", ", ["name", .. registration.Parameters.Select(p => p.Name), .. registration.Choices.Select(c => c.Name)]);
        Assert.Contains($"'strategy.temperature': unknown key; allowed: {allowed}", e.Message);
    }

    [Theory, MemberData(nameof(Names))]
    public void A_wrong_parameter_value_is_named_with_its_range(string name)
    {
        StrategyRegistry.TryGet(name, out var registration);
        foreach (var p in registration.Parameters)
        {
            // Above the maximum: the error must name the key and the allowed range.
            var e = Assert.Throws<SpecException>(() => Read(StrategyBlock(name, new Dictionary<string, double> { [p.Name] = p.Max * 2 + 1 })));
            Assert.Contains($"'strategy.{p.Name}': {Fmt(p.Max * 2 + 1)} is out of range; expected [{Fmt(p.Min)}, {Fmt(p.Max)}]", e.Message);
        }
    }

    [Fact]
    public void A_fraction_for_a_whole_number_parameter_or_text_for_a_number_is_refused()
    {
        var fraction = Assert.Throws<SpecException>(() => Read("strategy: {name: evolution, population: 2.5}"));
        Assert.Contains("'strategy.population': expected a whole number, got '2.5'", fraction.Message);
        var text = Assert.Throws<SpecException>(() => Read("strategy: {name: reinforce, learning_rate: fast}"));
        Assert.Contains("'strategy.learning_rate': expected a number, got 'fast'", text.Message);
    }

    [Fact]
    public void The_reinforce_controller_is_a_named_option_that_lists_the_registered_ones()
    {
        var spec = Read("strategy: {name: reinforce, controller: factorized}");
        Assert.Equal("factorized", spec.Strategy.Text("controller"));
        var strategy = Assert.IsType<ReinforceSearch>(SearchDefinition.From(spec, new DatasetShape(4, 3)).CreateStrategy());
        Assert.IsType<FactorizedSoftmaxPolicy>(strategy.Policy);
        // The option is kept in the journal's copy of the spec, so a recovered search rebuilds the same controller.
        Assert.Equal("factorized", SearchSpecJson.Deserialize(SearchSpecJson.Serialize(spec)).Strategy.Options["controller"]);

        var e = Assert.Throws<SpecException>(() => Read("strategy: {name: reinforce, controller: transformer}"));
        Assert.Contains($"'strategy.controller': 'transformer' is not one of: {string.Join(", ", PolicyRegistry.Names)}", e.Message);
    }

    private SearchSpec Read(string strategyLine) => SpecReader.ReadFile(_folder.Write($"""
        name: select
        seed: 5
        space: {"{"}type: mlp, depth: [1, 2], widths: [8, 16]{"}"}
        dataset: {"{"}path: data.csv{"}"}
        training: {"{"}epochs: 8{"}"}
        {strategyLine}
        budget: {"{"}trials: 10{"}"}
        """));

    private static string StrategyBlock(string name, IReadOnlyDictionary<string, double> values) =>
        $"strategy: {{{string.Join(", ", [$"name: {name}", .. values.Select(kv => $"{kv.Key}: {Fmt(kv.Value)}")])}}}";

    private static string Fmt(double value) => value.ToString(CultureInfo.InvariantCulture);
}
