using System.Globalization;
using NasActors.Core.Specs;
using NasActors.Core.Strategies;
using NasActors.Core.Strategies.Tpe;
using NasActors.Core.Trials;
using NasActors.Core.Tests.Strategies;
using static NasActors.Core.Tests.Strategies.StrategyTestKit;

namespace NasActors.Core.Tests.Specs;

/// <summary>A spec's <c>warm_start:</c> and <c>enqueue:</c>: read, checked, and what they do to a strategy.</summary>
public sealed class WarmStartTests : IDisposable
{
    private readonly SpecFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private SearchSpec Read(string extra, string strategy = "random") =>
        SpecReader.ReadFile(_folder.Write(SpecFolder.Minimal(extra: extra).Replace("name: random", $"name: {strategy}")));

    private const string Header = "trial,state,leases,architecture,objective,val_accuracy,val_loss,params,seconds,latency_ms";

    private string Csv(params string[] rows) => _folder.Write(string.Join("\n", [Header, .. rows]) + "\n", "results.csv");

    [Fact]
    public void Reads_a_results_source_relative_to_the_spec_a_search_source_and_enqueued_architectures()
    {
        Csv();
        var spec = Read("warm_start: {results: results.csv}\nenqueue: ['depth=1|w1=16|act=relu|dropout=0']");
        Assert.Equal(Path.Combine(_folder.Path, "results.csv"), spec.WarmStart!.Results);
        Assert.Null(spec.WarmStart.Search);
        Assert.Empty(spec.WarmStart.Known);
        Assert.Equal(["depth=1|w1=16|act=relu|dropout=0"], spec.Enqueue);
        Assert.Equal("earlier-1", Read("warm_start: {search: earlier-1}").WarmStart!.Search);
    }

    [Fact]
    public void Bad_warm_start_blocks_name_the_line_and_field()
    {
        Assert.Contains("spec.yaml:7: 'warm_start.results': give exactly one source",
            Assert.Throws<SpecException>(() => Read("warm_start: {search: a, results: b.csv}")).Message);
        Assert.Contains("'warm_start.results': file '" + Path.Combine(_folder.Path, "nope.csv") + "' does not exist",
            Assert.Throws<SpecException>(() => Read("warm_start: {results: nope.csv}")).Message);
        Assert.Contains("'enqueue': expected a non-empty list",
            Assert.Throws<SpecException>(() => Read("enqueue: []")).Message);
    }

    [Fact]
    public void A_results_csv_gives_its_completed_rows_and_names_a_bad_cell_by_line_and_column()
    {
        var path = Csv("1,Completed,1,\"depth=1|w1=16|act=relu|dropout=0\",0.9,0.9,0.3,100,2.5,1.5",
                       "2,Failed,1,\"depth=1|w1=32|act=relu|dropout=0\",,,,,,",
                       "3,Completed,2,\"depth=2|w1=16|w2=16|act=tanh|dropout=0\",0.8,0.8,0.4,200,3,");
        var known = KnownResultsCsv.Read(path);
        Assert.Equal(2, known.Count);
        Assert.Equal(new TrialMetrics(0.9, 0.3, 100, 2.5, new Dictionary<string, double> { ["latency_ms"] = 1.5 }).Extra!["latency_ms"], known[0].Metrics.Extra!["latency_ms"]);
        Assert.Equal(0.8, known[1].Metrics.ValidationAccuracy);
        Assert.Null(known[1].Metrics.Extra);

        var bad = Csv("7,Completed,1,\"depth=1|w1=16|act=relu|dropout=0\",0.9,high,0.3,100,2.5,");
        Assert.Equal($"{bad}:2: column 'val_accuracy': expected a finite number, got 'high'", Assert.Throws<SpecException>(() => KnownResultsCsv.Read(bad)).Message);
        var headerless = _folder.Write("a,b\n1,2\n", "other.csv");
        Assert.Contains("'architecture' is missing", Assert.Throws<SpecException>(() => KnownResultsCsv.Read(headerless)).Message);
    }

    private static SearchDefinition Definition(SearchSpec spec, params KnownResult[] known) =>
        SearchDefinition.From(known.Length == 0 ? spec : spec with { WarmStart = spec.WarmStart! with { Known = known } }, new DatasetShape(4, 3));

    /// <summary>The canonical text of a genotype sampled from the spec's space with <paramref name="seed"/>.</summary>
    private static string Label(SearchSpec spec, int seed) =>
        Definition(spec).Space.Sample(new NasActors.Core.Randomness.SeededRandom(seed)).Canonical;

    private static KnownResult Known(string architecture, double accuracy) => new(architecture, new TrialMetrics(accuracy, 1 - accuracy, 10, 1));

    [Fact]
    public void Known_outcomes_are_scored_by_this_search_and_taught_worst_first_under_negative_ids()
    {
        Csv();
        var spec = Read("warm_start: {results: results.csv}", "tpe");
        var definition = Definition(spec, Known(Label(spec, 1), 0.7), Known(Label(spec, 2), 0.5), Known(Label(spec, 3), 0.9));
        definition.CheckSeeds();
        var outcomes = definition.KnownOutcomes();
        Assert.Equal([-2, -1, -3], outcomes.Select(o => o.Known.TrialId));
        Assert.Equal([0.5, 0.7, 0.9], outcomes.Select(o => o.Outcome.Objective));
        Assert.Equal(Label(spec, 2), outcomes[0].Known.Genotype.Canonical);
    }

    [Fact]
    public void Seeds_a_search_cannot_use_are_refused_before_anything_is_stored()
    {
        Csv();
        var hyperbandSpec = Read("warm_start: {results: results.csv}", "hyperband");
        var hyperband = Definition(hyperbandSpec, Known(Label(hyperbandSpec, 1), 0.7));
        Assert.Contains("warm_start: strategy 'hyperband' cannot learn from earlier results", Assert.Throws<SpecException>(hyperband.CheckSeeds).Message);

        var foreign = Definition(Read("warm_start: {results: results.csv}", "tpe"), Known("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|", 0.7));
        Assert.Contains("warm_start: result 1 of '" + Path.Combine(_folder.Path, "results.csv") + "'", Assert.Throws<SpecException>(foreign.CheckSeeds).Message);

        var enqueue = Definition(Read("enqueue: ['depth=9|w1=16']", "tpe"));
        Assert.Contains("enqueue: 'depth=9|w1=16' is not an architecture of this search's space", Assert.Throws<SpecException>(enqueue.CheckSeeds).Message);
    }

    [Fact]
    public void A_warm_started_tpe_proposes_better_architectures_from_its_first_trial()
    {
        // Forty results of an earlier search; a cold TPE's first ten proposals are its random start-up.
        var earlier = Run(new TpeSearch(Context(seed: 99), new TpeOptions()), 40);
        double FirstTen(long seed, bool warm)
        {
            var tpe = new TpeSearch(Context(seed: seed), new TpeOptions());
            if (warm)
                for (var i = 0; i < earlier.Count; i++)
                {
                    var known = earlier[i].Trial with { TrialId = -(i + 1) };
                    tpe.WarmStart(known, Succeed(known, earlier[i].Score));
                }
            return Run(tpe, 10, firstId: 1).Average(r => r.Score);
        }
        var seeds = Enumerable.Range(1, 5).Select(s => (long)s).ToArray();
        var warm = seeds.Average(s => FirstTen(s, warm: true));
        var cold = seeds.Average(s => FirstTen(s, warm: false));
        Assert.True(warm > cold + 0.02, $"mean score of the first ten proposals: warm {warm.ToString("F4", CultureInfo.InvariantCulture)}, cold {cold.ToString("F4", CultureInfo.InvariantCulture)}");
    }

    [Fact]
    public void A_warm_started_population_keeps_the_best_known_members_and_breeds_at_once()
    {
        var evolution = new RegularizedEvolution(Context(seed: 4), new EvolutionOptions(Population: 5));
        var earlier = Run(new RegularizedEvolution(Context(seed: 8), new EvolutionOptions(Population: 5)), 20)
            .Select((r, i) => (Known: r.Trial with { TrialId = -(i + 1) }, r.Score)).OrderBy(k => k.Score).ToArray();
        foreach (var (known, score) in earlier) evolution.WarmStart(known, Succeed(known, score));
        Assert.Equal(earlier.TakeLast(5).Select(k => k.Score).Order(), evolution.Population.Select(m => m.Fitness).Order());
        evolution.Ask(1);
        Assert.NotNull(evolution.ParentOf(1));
    }

    [Fact]
    public void An_enqueued_architecture_takes_the_strategys_next_trial_and_its_outcome_is_learned()
    {
        var evolution = new RegularizedEvolution(Context(seed: 4), new EvolutionOptions(Population: 3));
        var fixedGenotype = Mlp().FromValues(Run(new RandomSearch(Context(seed: 5)), 1)[0].Trial.Genotype.Values.ToArray());
        var trial = ((IAcceptsFixedProposals)evolution).AskFor(1, fixedGenotype)!;
        Assert.Equal(fixedGenotype, trial.Genotype);
        Assert.Contains(1, evolution.Pending);
        evolution.Tell(Succeed(trial, 0.42));
        Assert.Equal(fixedGenotype, Assert.Single(evolution.Population).Genotype);
    }
}
