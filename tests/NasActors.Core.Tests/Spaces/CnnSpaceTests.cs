namespace NasActors.Core.Tests.Spaces;

public sealed class CnnSpaceTests
{
    // One stage (16 channels, stride 1) on an 8×8 single-channel input, 10 classes; counts worked by hand
    // from the template in CnnSpace's comment.
    private static CnnSpace Tiny() => new(new CnnSpaceOptions([16], [1], [1, 2, 3, 4], [3, 5], [1, 3, 6], [0.5, 0.75, 1.0, 1.25], 8, 1, 10));

    [Fact]
    public void Counts_a_plain_block_by_hand()
    {
        var space = Tiny();
        // layers 1, kernel 3, expand 1, SE off, width 1.0
        var g = space.Create([0, 0, 0, 0, 2]);
        // stem 9·32+64, depthwise 32·9+64, project 32·16+32, head 16·1280+2560, classifier 12800+10
        Assert.Equal(352 + 352 + 544 + 23_040 + 12_810, space.ParameterCount(g));
        // on a 4×4 map: stem 16·32·9, depthwise 16·32·9, project 16·16·32, head 16·1280·16, classifier 12800
        Assert.Equal(4_608 + 4_608 + 8_192 + 327_680 + 12_800, space.FlopCount(g));
    }

    [Fact]
    public void Counts_an_expanded_block_with_squeeze_excite_by_hand()
    {
        var space = Tiny();
        // layers 1, kernel 3, expand 6 (m = 192), SE on (r = 48), width 1.0
        var g = space.Create([0, 0, 2, 1, 2]);
        const long expand = 32 * 192 + 384, depthwise = 192 * 9 + 384, se = 192 * 48 + 48 + 48 * 192 + 192, project = 192 * 16 + 32;
        Assert.Equal(352 + expand + depthwise + se + project + 23_040 + 12_810, space.ParameterCount(g));
        Assert.Equal(4_608 + 98_304 + 27_648 + 18_432 + 49_152 + 327_680 + 12_800, space.FlopCount(g));
    }

    [Fact]
    public void More_layers_wider_stages_and_larger_kernels_cost_more()
    {
        var space = new CnnSpace(CnnSpaceOptions.Mnas(5, 32, 3, 10));
        Assert.Equal(25, space.Decisions.Count);
        var small = space.Create(Enumerable.Repeat(0.0, 25));
        var large = space.Create(Enumerable.Range(0, 25).Select(i => (double)(space.Decisions[i].Cardinality!.Value - 1)));
        Assert.True(space.ParameterCount(large) > 10 * space.ParameterCount(small));
        Assert.True(space.FlopCount(large) > 10 * space.FlopCount(small));
        Assert.StartsWith("s1.layers=1|s1.kernel=3|s1.expand=1|s1.se=off|s1.width=0.5|s2.layers=1", small.Canonical);
    }

    [Theory]
    [InlineData(16 * 0.5, 8)]
    [InlineData(24 * 0.75, 24)]
    [InlineData(40 * 1.25, 48)]
    [InlineData(112 * 0.75, 88)]
    [InlineData(3, 8)]
    public void Channels_round_like_mnasnet(double target, int expected) =>
        Assert.Equal(expected, CnnSpace.MakeDivisible(target));
}
