using NasActors.Core.Randomness;
using NasActors.Core.Tests.Benchmarks;

namespace NasActors.Core.Tests.Spaces;

public sealed class Nb201SpaceTests(Nb201Fixture table) : IClassFixture<Nb201Fixture>
{
    private const string Example = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|";

    [Fact]
    public void Canonical_form_is_the_benchmark_string()
    {
        var space = new Nb201Space();
        var g = space.Create([3, 3, 4, 1, 3, 1]);
        Assert.Equal(Example, g.Canonical);
        Assert.Equal(g, space.Parse(Example));
    }

    [Theory]
    [InlineData("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|")]
    [InlineData("|conv~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|")]
    [InlineData("|nor_conv_3x3~1|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|")]
    [InlineData("|nor_conv_3x3~0|+|nor_conv_3x3~0|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|")]
    public void Parse_rejects_malformed_strings(string arch) =>
        Assert.Throws<FormatException>(() => new Nb201Space().Parse(arch));

    [Fact]
    public void Parameters_and_flops_match_every_row_of_the_table()
    {
        var c10 = new Nb201Space(classes: 10);
        var c100 = new Nb201Space(classes: 100);
        Assert.Equal(15_625, table.Accuracy.Count);
        foreach (var row in table.Accuracy.Rows)
        {
            var arch = row.Text("arch");
            var g10 = c10.Parse(arch);
            Assert.Equal(arch, g10.Canonical);
            Assert.Equal(row.Number("c10_params_M"), c10.ParameterCount(g10) / 1e6, 6);
            Assert.Equal(row.Number("c10_flops_M"), c10.FlopCount(g10)!.Value / 1e6, 6);
            var g100 = c100.Parse(arch);
            Assert.Equal(row.Number("c100_params_M"), c100.ParameterCount(g100) / 1e6, 6);
            Assert.Equal(row.Number("c100_flops_M"), c100.FlopCount(g100)!.Value / 1e6, 6);
        }
    }

    [Fact]
    public void Isomorphism_key_agrees_with_the_tables_iso_class()
    {
        var classOfKey = new Dictionary<string, string>();
        var keyOfClass = new Dictionary<string, string>();
        var space = new Nb201Space();
        foreach (var row in table.Accuracy.Rows)
        {
            var key = Nb201Space.IsomorphismKey(space.Parse(row.Text("arch")).Values);
            var iso = row.Text("iso_class");
            Assert.Equal(iso, classOfKey.GetValueOrDefault(key, iso));
            Assert.Equal(key, keyOfClass.GetValueOrDefault(iso, key));
            classOfKey[key] = iso;
            keyOfClass[iso] = key;
        }
        Assert.Equal(6_466, keyOfClass.Count);
    }

    [Fact]
    public void Merging_isomorphic_cells_gives_one_genotype_per_class()
    {
        var merged = new Nb201Space(mergeIsomorphic: true);
        var genotypes = table.Accuracy.Rows.GroupBy(r => r.Text("iso_class"))
            .Select(group => group.Select(r => merged.Parse(r.Text("arch"))).Distinct().ToArray())
            .ToArray();
        Assert.All(genotypes, members => Assert.Single(members));
        Assert.Equal(6_466, genotypes.Select(g => g[0]).Distinct().Count());
        // The representative re-parses to itself.
        Assert.All(genotypes, g => Assert.Equal(g[0], merged.Parse(g[0].Canonical)));
    }

    [Fact]
    public void A_dead_edge_does_not_change_the_merged_genotype()
    {
        var merged = new Nb201Space(mergeIsomorphic: true);
        // Node 1 is cut off (none from the input), so whatever runs on edge 2←1 computes zero.
        var a = merged.Parse("|none~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|skip_connect~0|none~1|nor_conv_3x3~2|");
        var b = merged.Parse("|none~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|");
        Assert.Equal(a, b);
        Assert.Equal(a.Hash, b.Hash);
    }

    [Fact]
    public void Neighbours_are_all_single_edge_changes()
    {
        var space = new Nb201Space();
        var g = space.Parse(Example);
        var neighbours = space.Neighbours(g);
        Assert.Equal(6 * 4, neighbours.Count);
        Assert.Equal(neighbours.Count, neighbours.Distinct().Count());
        Assert.All(neighbours, n => Assert.Equal(1, Enumerable.Range(0, 6).Count(e => n[e] != g[e])));
    }

    [Fact]
    public void Merged_neighbours_exclude_the_genotype_itself()
    {
        var merged = new Nb201Space(mergeIsomorphic: true);
        var g = merged.Parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|");
        var neighbours = merged.Neighbours(g);
        Assert.DoesNotContain(g, neighbours);
        Assert.Equal(neighbours.Count, neighbours.Distinct().Count());
        Assert.NotEmpty(neighbours);
    }

    [Fact]
    public void Edit_path_crossover_takes_half_of_the_differing_edges()
    {
        var space = new Nb201Space();
        var a = space.Parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|");
        var b = space.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|none~1|none~2|");
        var random = new SeededRandom(7);
        for (var i = 0; i < 20; i++)
        {
            var child = space.EditPathCrossover(a, b, random);
            Assert.Equal(2, Enumerable.Range(0, 6).Count(e => child[e] != a[e]));
            Assert.All(Enumerable.Range(0, 6), e => Assert.True(child[e] == a[e] || child[e] == b[e]));
        }
    }
}
