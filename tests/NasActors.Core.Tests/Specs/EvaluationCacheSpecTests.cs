using NasActors.Core.Spaces;
using NasActors.Core.Specs;

namespace NasActors.Core.Tests.Specs;

/// <summary><c>budget.cache</c> and <c>budget.max_cached</c>: read, refused where they cannot apply, and the spaces' equivalence keys.</summary>
public sealed class EvaluationCacheSpecTests : IDisposable
{
    private readonly SpecFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private SearchSpec Read(string budget, string extra = "", string strategy = "random") =>
        SpecReader.ReadFile(_folder.Write(SpecFolder.Minimal(extra: extra)
            .Replace("budget: {trials: 5}", $"budget: {budget}").Replace("name: random", $"name: {strategy}")));

    [Fact]
    public void The_cache_is_off_unless_asked_and_its_cap_defaults_to_the_trials()
    {
        var plain = Read("{trials: 5}");
        Assert.Equal((false, 0), (plain.Budget.Cache, plain.Budget.CacheCap));
        Assert.DoesNotContain("Cache", SearchSpecJson.Serialize(plain)); // a spec without it is stored (and identified) as before
        Assert.Equal((true, 5), (Read("{trials: 5, cache: true}").Budget.Cache, Read("{trials: 5, cache: true}").Budget.CacheCap));
        Assert.Equal(2, Read("{trials: 5, cache: true, max_cached: 2}").Budget.CacheCap);
        var stored = SearchSpecJson.Deserialize(SearchSpecJson.Serialize(Read("{trials: 5, cache: true, max_cached: 2}")));
        Assert.Equal((true, 2), (stored.Budget.Cache, stored.Budget.CacheCap));
    }

    [Fact]
    public void Cache_keys_that_cannot_apply_are_refused_naming_the_field()
    {
        Assert.Contains("'budget.max_cached': only applies with cache: true",
            Assert.Throws<SpecException>(() => Read("{trials: 5, max_cached: 3}")).Message);
        Assert.Contains("'budget.cache': a strategy run as entities (execution.entities: true) cannot be answered from the ledger",
            Assert.Throws<SpecException>(() => Read("{trials: 5, cache: true}", "execution: {entities: true}", "evolution")).Message);
    }

    [Fact]
    public void A_results_csv_row_answered_from_the_ledger_is_not_a_known_result_of_its_own()
    {
        var path = _folder.Write("""
            trial,state,leases,architecture,objective,val_accuracy,val_loss,params,seconds,cached_from,latency_ms
            1,Completed,1,"depth=1|w1=16|act=relu|dropout=0",0.9,0.9,0.3,100,2.5,,1.5
            2,Completed,0,"depth=1|w1=16|act=relu|dropout=0",0.9,0.9,0.3,100,2.5,1,1.5
            3,Completed,1,"depth=2|w1=16|w2=16|act=tanh|dropout=0",0.8,0.8,0.4,200,3,,
            """ + "\n", "results.csv");
        var known = KnownResultsCsv.Read(path);
        Assert.Equal(["depth=1|w1=16|act=relu|dropout=0", "depth=2|w1=16|w2=16|act=tanh|dropout=0"], known.Select(k => k.Architecture));
        Assert.Equal(["latency_ms"], known[0].Metrics.Extra!.Keys); // cached_from is not a metric
    }

    [Fact]
    public void Nb201_cells_are_equivalent_when_isomorphic_whether_or_not_the_space_merges_them()
    {
        const string cell = "|nor_conv_3x3~0|+|skip_connect~0|none~1|+|none~0|nor_conv_1x1~1|none~2|";
        const string isomorphic = "|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_3x3~1|+|none~0|nor_conv_1x1~1|none~2|";
        const string other = "|nor_conv_1x1~0|+|skip_connect~0|nor_conv_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|";
        var space = new Nb201Space();
        string Key(string text) => space.EquivalenceKey(space.Parse(text));
        Assert.NotEqual(space.Parse(cell).Canonical, space.Parse(isomorphic).Canonical);
        Assert.Equal(Key(cell), Key(isomorphic));
        Assert.NotEqual(Key(cell), Key(other));
    }
}
