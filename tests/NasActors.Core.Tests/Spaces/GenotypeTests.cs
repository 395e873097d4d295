using NasActors.Core.Randomness;

namespace NasActors.Core.Tests.Spaces;

public sealed class GenotypeTests
{
    private static MlpSpace Mlp() => new(new MlpSpaceOptions([1, 2, 3], [16, 32], ["relu", "tanh"], [0.0, 0.1],
        new LogUniformDecision("lr", 1e-3, 1e-1), InputFeatures: 4, Classes: 2));

    [Theory]
    [InlineData("", 0xcbf29ce484222325UL)]
    [InlineData("a", 0xaf63dc4c8601ec8cUL)]
    [InlineData("foobar", 0x85944171f73967e8UL)]
    public void Stable_hash_is_64_bit_fnv1a(string text, ulong expected) => Assert.Equal(expected, Genotype.StableHash(text));

    [Fact]
    public void Canonical_form_names_active_decisions_only()
    {
        var g = Mlp().Create([0, 1, 1, 0, 1, 1, 0.01]);
        Assert.Equal("depth=1|w1=32|act=tanh|dropout=0.1|lr=0.01", g.Canonical);
        Assert.Equal(Genotype.StableHash(g.Canonical), g.Hash);
    }

    [Fact]
    public void Choices_that_do_not_matter_do_not_change_equality_or_hash()
    {
        var space = Mlp();
        var a = space.Create([0, 1, 0, 0, 0, 0, 0.01]);
        var b = space.Create([0, 1, 1, 1, 0, 0, 0.01]);
        Assert.Equal(a, b);
        Assert.Equal(a.Hash, b.Hash);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(a.Values.ToArray(), b.Values.ToArray());
        Assert.NotEqual(a, space.Create([1, 1, 0, 0, 0, 0, 0.01]));
    }

    [Fact]
    public void Continuous_values_are_kept_to_three_significant_digits()
    {
        var space = Mlp();
        Assert.Equal(space.Create([0, 0, 0, 0, 0, 0, 0.012345]), space.Create([0, 0, 0, 0, 0, 0, 0.0123]));
    }

    [Fact]
    public void Invalid_values_are_rejected_with_the_decision_named()
    {
        var space = Mlp();
        Assert.Contains("'act'", Assert.Throws<ArgumentException>(() => space.Create([0, 0, 0, 0, 2, 0, 0.01])).Message);
        Assert.Contains("'lr'", Assert.Throws<ArgumentException>(() => space.Create([0, 0, 0, 0, 0, 0, 0.5])).Message);
        Assert.Throws<ArgumentException>(() => space.Create([0, 0]));
    }

    [Fact]
    public void Mutation_changes_exactly_one_active_decision_and_stays_in_the_space()
    {
        var space = new Nb201Space();
        var random = new SeededRandom(3);
        for (var i = 0; i < 200; i++)
        {
            var parent = space.Sample(random);
            var child = space.Mutate(parent, random);
            Assert.Equal(1, Enumerable.Range(0, 6).Count(e => parent[e] != child[e]));
            Assert.Equal(child, space.FromValues(child.Values));
        }
    }
}
