using NasActors.Core.Data;
using NasActors.Core.Randomness;
using NasActors.Core.Spaces;
using NasActors.Training.Models;
using NasActors.Training.Supernet;
using static TorchSharp.torch;

namespace NasActors.Training.Tests.Supernet;

/// <summary>The supernet modules: a path's forward is the standalone network's with the same weights, and blocks move as bytes.</summary>
public sealed class SupernetModuleTests
{
    private static readonly MlpSpace Mlp = new(new MlpSpaceOptions(
        [1, 2, 3], [8, 16, 32], ["relu", "gelu", "tanh", "sigmoid", "silu"], [0.0, 0.2],
        new LogUniformDecision("lr", 1e-4, 1e-1), InputFeatures: 12, Classes: 4));

    private static readonly Nb201Space Nb201 = new();
    private static readonly Nb201ModelOptions Tiny = new(new ImageShape(1, 8, 8), Classes: 3, Channels: 4, CellsPerStage: 1);

    private static MlpSupernet InitialisedMlp(ulong seed)
    {
        var net = new MlpSupernet(Mlp);
        using var generator = new Generator(seed);
        CandidateNetwork.Initialise(net, generator);
        return net;
    }

    private static Nb201Supernet InitialisedNb201(ulong seed)
    {
        var net = new Nb201Supernet(Nb201, Tiny);
        using var generator = new Generator(seed);
        CandidateNetwork.Initialise(net, generator);
        return net;
    }

    [Fact]
    public void Mlp_paths_of_every_depth_and_width_match_their_standalone_network()
    {
        using var net = InitialisedMlp(1);
        net.eval();
        using var x = randn(5, 12, generator: new Generator(2));
        var random = new SeededRandom(3);
        for (var i = 0; i < 12; i++)
        {
            var path = Mlp.Sample(random);
            net.Path = path;
            using var subnet = net.Subnet(path);
            subnet.eval();
            using var expected = subnet.forward(x);
            using var actual = net.forward(x);
            Assert.Equal(new long[] { 5, 4 }, actual.shape);
            Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-6), $"path {path} differs from its standalone network");
            Assert.Equal(Mlp.Depth(path) + 1, net.BlocksOf(path).Count);
        }
        // Learning rate and dropout leave a path's outputs in eval mode unchanged: one path key.
        var a = TestData.Mlp(Mlp, 2, [16, 8], "gelu", 0.0, 0.01);
        var b = TestData.Mlp(Mlp, 2, [16, 8], "gelu", 0.2, 0.001);
        Assert.Equal(net.PathKey(a), net.PathKey(b));
        Assert.NotEqual(net.PathKey(a), net.PathKey(TestData.Mlp(Mlp, 2, [16, 16], "gelu", 0.0, 0.01)));
    }

    [Fact]
    public void Mlp_blocks_are_the_layers_and_the_head_and_round_trip_through_bytes()
    {
        using var a = InitialisedMlp(1);
        using var b = InitialisedMlp(99);
        Assert.Equal(["layer1", "layer2", "layer3", "head"], a.Blocks);
        var path = Mlp.Sample(new SeededRandom(4));
        a.Path = b.Path = path;
        a.eval();
        b.eval();
        using var x = randn(3, 12, generator: new Generator(2));
        Assert.False(a.forward(x).allclose(b.forward(x)));

        foreach (var block in a.Blocks)
            b.ImportBlock(block, Core.Strategies.Supernet.BlockWeights.FromBytes(a.ExportBlock(block).ToBytes()));

        Assert.True(a.forward(x).allclose(b.forward(x)));
        Assert.Equal(32 * 12 + 32, a.ExportBlock("layer1").Count);
        Assert.Throws<ArgumentException>(() => b.ImportBlock("layer2", a.ExportBlock("layer1")));
    }

    [Fact]
    public void Nb201_paths_match_the_standalone_network_in_shape_and_output()
    {
        using var net = InitialisedNb201(5);
        net.eval();
        using var x = randn(2, 1, 8, 8, generator: new Generator(6));
        foreach (var arch in new[]
        {
            "|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|avg_pool_3x3~0|none~1|nor_conv_3x3~2|",
            "|none~0|+|skip_connect~0|none~1|+|nor_conv_1x1~0|avg_pool_3x3~1|none~2|",
            "|nor_conv_1x1~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_1x1~1|skip_connect~2|"
        })
        {
            var path = Nb201.Parse(arch);
            net.Path = path;
            using var subnet = net.Subnet(path);
            subnet.eval();
            using var actual = net.forward(x);
            using var expected = subnet.forward(x);
            Assert.Equal(new long[] { 2, 3 }, actual.shape);
            Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5), $"{arch} differs from its standalone network");
        }
    }

    [Fact]
    public void Nb201_has_a_block_per_conv_op_per_edge_and_a_path_uses_only_its_own()
    {
        using var net = InitialisedNb201(5);
        // 3 cells × 6 edges × 2 conv ops, stem, 2 reductions, head.
        Assert.Equal(3 * 6 * 2 + 4, net.Blocks.Count);
        var path = Nb201.Parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|avg_pool_3x3~0|none~1|nor_conv_3x3~2|");
        var blocks = net.BlocksOf(path);
        Assert.Equal(3 * 3 + 4, blocks.Count);
        Assert.Contains("cell0_edge10_nor_conv_3x3", blocks);
        Assert.DoesNotContain("cell0_edge10_nor_conv_1x1", blocks);
        Assert.Contains("reduction1", blocks);

        using var other = InitialisedNb201(77);
        foreach (var block in blocks) other.ImportBlock(block, Core.Strategies.Supernet.BlockWeights.FromBytes(net.ExportBlock(block).ToBytes()));
        net.Path = other.Path = path;
        net.eval();
        other.eval();
        using var x = randn(2, 1, 8, 8, generator: new Generator(6));
        Assert.True(net.forward(x).allclose(other.forward(x)), "a path's blocks alone should fix its output");
    }
}
