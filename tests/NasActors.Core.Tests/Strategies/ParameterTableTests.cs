using NasActors.Core.Specs;
using NasActors.Core.Strategies.Manas;
using NasActors.Core.Strategies.OneShot;
using NasActors.Core.Strategies.Predictor;
using NasActors.Core.Strategies.Reinforcement;
using NasActors.Core.Strategies.Supernet;
using NasActors.Core.Strategies.Tpe;

namespace NasActors.Core.Tests.Strategies;

/// <summary>
/// <see cref="ParameterTable{T}"/>: one declaration per parameter gives both what a spec may say and the options
/// record built from it. The strategies' tables are checked against records built positionally, so a key wired
/// to the wrong property fails here.
/// </summary>
public sealed class ParameterTableTests
{
    private sealed record Inner(int Size = 3);

    private sealed record Sample(int Count = 4, double Rate = 0.5, bool Fast = false, Inner? Part = null)
    {
        public Inner Part { get; init; } = Part ?? new Inner();
    }

    private static readonly ParameterTable<Inner> InnerTable = new ParameterTable<Inner>(new Inner())
        .Int("size", 1, 10, o => o.Size, (o, v) => o with { Size = v }, "size help");

    private static readonly ParameterTable<Sample> Table = new ParameterTable<Sample>(new Sample())
        .Int("count", 1, 100, o => o.Count, (o, v) => o with { Count = v }, "count help")
        .Double("rate", 0, 1, o => o.Rate, (o, v) => o with { Rate = v }, "rate help")
        .Flag("fast", o => o.Fast, (o, v) => o with { Fast = v }, "fast help")
        .Include(InnerTable, o => o.Part, (o, p) => o with { Part = p });

    private static StrategySpec Spec(Dictionary<string, double> values) => new("any", values);

    [Fact]
    public void Parameters_are_declared_in_order_with_the_records_defaults_and_ranges()
    {
        Assert.Equal(
            [
                new StrategyParameter("count", 4, 1, 100, true, "count help"),
                new StrategyParameter("rate", 0.5, 0, 1, false, "rate help"),
                new StrategyParameter("fast", 0, 0, 1, true, "fast help"),
                new StrategyParameter("size", 3, 1, 10, true, "size help")
            ],
            Table.Parameters);
    }

    [Fact]
    public void Bind_sets_the_keys_the_spec_gives_and_leaves_the_others_at_their_defaults()
    {
        Assert.Equal(new Sample(), Table.Bind(Spec([])));
        Assert.Equal(new Sample(Rate: 0.25, Part: new Inner(7)), Table.Bind(Spec(new() { ["rate"] = 0.25, ["size"] = 7 })));
        Assert.Equal(new Sample(Count: 9, Fast: true), Table.Bind(Spec(new() { ["count"] = 9, ["fast"] = 1 })));
        Assert.Equal(new Dictionary<string, double> { ["count"] = 9, ["rate"] = 0.5, ["fast"] = 1, ["size"] = 3 },
            Table.Values(new Sample(Count: 9, Fast: true)));
    }

    [Fact]
    public void A_key_declared_twice_is_refused()
    {
        var table = new ParameterTable<Sample>(new Sample()).Int("count", 1, 2, o => o.Count, (o, v) => o with { Count = v }, "");
        var e = Assert.Throws<ArgumentException>(() => table.Double("count", 0, 1, o => o.Rate, (o, v) => o with { Rate = v }, ""));
        Assert.Contains("parameter 'count' is declared twice", e.Message);
    }

    [Fact]
    public void Spos_keys_reach_their_properties()
    {
        var spec = Spec(new()
        {
            ["workers"] = 3, ["shards"] = 4, ["rounds"] = 50, ["batches_per_round"] = 2, ["max_staleness"] = 5, ["supernet_lr"] = 0.1,
            ["population"] = 8, ["generations"] = 6, ["parents"] = 7, ["calibration_batches"] = 9
        });
        Assert.Equal(new SposOptions(3, 4, 50, 2, 5, 0.1, 8, 6, 7, 9), SposOptions.Table.Bind(spec));
    }

    [Fact]
    public void Darts_and_manas_supernet_keys_reach_their_properties_network_included()
    {
        var darts = Spec(new()
        {
            ["steps"] = 50, ["weight_lr"] = 0.01, ["alpha_lr"] = 0.002, ["alpha_weight_decay"] = 0.004, ["channels"] = 4, ["cells_per_stage"] = 2, ["resolution"] = 16
        });
        Assert.Equal(new DartsOptions(50, 0.01, 0.002, 0.004, new OneShotNetwork(4, 2, 16)), DartsOptions.Table.Bind(darts));

        var manas = Spec(new()
        {
            ["rounds"] = 50, ["batches_per_round"] = 2, ["gamma"] = 0.3, ["learning_rate"] = 0.5, ["supernet_lr"] = 0.01, ["channels"] = 6, ["cells_per_stage"] = 3, ["resolution"] = 12
        });
        Assert.Equal(new ManasSupernetOptions(50, 2, 0.3, 0.5, 0.01, new OneShotNetwork(6, 3, 12)), ManasSupernetOptions.Table.Bind(manas));
    }

    [Fact]
    public void Reinforce_and_guided_keys_reach_their_properties()
    {
        var reinforce = Spec(new()
        {
            ["learning_rate"] = 1.5, ["entropy_bonus"] = 0.02, ["baseline_decay"] = 0.8, ["grid"] = 6,
            ["feasibility_samples"] = 16, ["max_staleness"] = 50, ["staleness_decay"] = 0.9, ["sampled_gradients"] = 1, ["reward_window"] = 20
        });
        Assert.Equal(new ReinforceOptions(1.5, 0.02, 0.8, 6, 16, 50, 0.9, true, 20), ReinforceOptions.Table.Bind(reinforce));

        var guided = Spec(new()
        {
            ["initial_random"] = 4, ["parents"] = 3, ["mutations"] = 10, ["random_candidates"] = 12, ["kappa"] = 1, ["length_scale"] = 1.5, ["noise"] = 0.1
        });
        Assert.Equal(new GuidedOptions(4, 3, 10, 12, 1, 1.5, 0.1), GuidedOptions.Table.Bind(guided));
    }

    [Fact]
    public void De_manas_predictor_and_tpe_keys_reach_their_properties_trees_included()
    {
        Assert.Equal(new DifferentialEvolutionOptions(8, 0.7, 0.3),
            DifferentialEvolutionOptions.Table.Bind(Spec(new() { ["population"] = 8, ["F"] = 0.7, ["CR"] = 0.3 })));
        Assert.Equal(new ManasOptions(0.2, 5, 20, 0.5),
            ManasOptions.Table.Bind(Spec(new() { ["gamma"] = 0.2, ["grid"] = 5, ["learning_rate"] = 0.5, ["reward_window"] = 20 })));
        var predictor = Spec(new()
        {
            ["initial_random"] = 4, ["pool_size"] = 50, ["retrain_every"] = 3, ["trees"] = 10, ["leaves"] = 4, ["prune_importance"] = 0.2
        });
        Assert.Equal(new PredictorOptions(4, 50, 3, new GbdtOptions(10, 4), 0.2), PredictorOptions.Table.Bind(predictor));
        var tpe = Spec(new() { ["n_startup_trials"] = 5, ["n_ei_candidates"] = 12, ["prior_weight"] = 2, ["constant_liar"] = 0, ["avoid_repeats"] = 0 });
        Assert.Equal(new TpeOptions(5, 12, 2, false, false), TpeOptions.Table.Bind(tpe));
    }

    [Fact]
    public void The_registry_offers_exactly_the_tables_parameters()
    {
        (string Name, IReadOnlyList<StrategyParameter> Parameters)[] tables =
        [
            (SposSearch.Name, SposOptions.Table.Parameters), (DartsSearch.Name, DartsOptions.Table.Parameters),
            (ManasSupernetSearch.Name, ManasSupernetOptions.Table.Parameters), (ReinforceSearch.Name, ReinforceOptions.Table.Parameters),
            (GuidedLocalSearch.Name, GuidedOptions.Table.Parameters), (DifferentialEvolution.Name, DifferentialEvolutionOptions.Table.Parameters),
            (ManasSearch.Name, ManasOptions.Table.Parameters), (PredictorSearch.Name, PredictorOptions.Table.Parameters),
            (TpeSearch.Name, TpeOptions.Table.Parameters), (RandomScalarisationSearch.Name, TpeOptions.Table.Parameters)
        ];
        foreach (var (name, parameters) in tables)
        {
            Assert.True(StrategyRegistry.TryGet(name, out var registration));
            Assert.Equal(parameters, registration.Parameters);
        }
    }
}
