using NasActors.Core.Strategies.Supernet;

namespace NasActors.Core.Tests.Strategies.Supernet;

public sealed class BlockWeightsTests
{
    private static BlockWeights Block(float offset) => new([
        new NamedTensor("fc.weight", [2, 3], [1 + offset, 2, 3, 4, 5, 6]),
        new NamedTensor("fc.bias", [2], [-1, offset])
    ]);

    [Fact]
    public void Bytes_round_trip_names_shapes_and_values()
    {
        var block = Block(0.5f);
        var back = BlockWeights.FromBytes(block.ToBytes());
        Assert.Equal(block.Tensors.Select(t => t.Name), back.Tensors.Select(t => t.Name));
        Assert.Equal(block.Tensors.Select(t => t.Shape), back.Tensors.Select(t => t.Shape));
        Assert.Equal(block.Tensors.Select(t => t.Values), back.Tensors.Select(t => t.Values));
        Assert.Equal(8, back.Count);
    }

    [Fact]
    public void Delta_and_scaled_add_are_element_wise()
    {
        var delta = Block(2).Minus(Block(0));
        Assert.Equal([2f, 0, 0, 0, 0, 0], delta.Tensors[0].Values);
        Assert.Equal([0f, 2], delta.Tensors[1].Values);
        var merged = Block(0).PlusScaled(delta, 0.5f);
        Assert.Equal([2f, 2, 3, 4, 5, 6], merged.Tensors[0].Values);
        Assert.Equal([-1f, 1], merged.Tensors[1].Values);
    }

    [Fact]
    public void Blocks_of_other_shapes_and_foreign_bytes_are_refused_with_a_reason()
    {
        var other = new BlockWeights([new NamedTensor("fc.weight", [3, 2], new float[6]), new NamedTensor("fc.bias", [2], new float[2])]);
        Assert.Contains("fc.weight", Assert.Throws<ArgumentException>(() => Block(0).Minus(other)).Message);
        Assert.Contains("NASB", Assert.Throws<FormatException>(() => BlockWeights.FromBytes(new byte[16])).Message);
        Assert.Throws<ArgumentException>(() => new NamedTensor("x", [2, 2], new float[3]) is var t ? new BlockWeights([t]) : null);
    }
}
