using NasActors.Core.Randomness;
using NasActors.Core.Spaces;
using NasActors.Training.Models;
using static TorchSharp.torch;

namespace NasActors.Training.Tests;

public sealed class CnnModelTests
{
    [Theory]
    [InlineData(3, 28, 1)]
    [InlineData(5, 32, 3)]
    [InlineData(7, 224, 3)]
    public void Parameters_and_flops_of_built_networks_equal_the_space_analytic_counts(int stages, int resolution, int channels)
    {
        var space = new CnnSpace(CnnSpaceOptions.Mnas(stages, resolution, channels, 10));
        var random = new SeededRandom(stages * 100 + resolution);
        for (var i = 0; i < 6; i++)
        {
            var genotype = space.Sample(random);
            using var model = CnnModel.Build(space, genotype);

            Assert.Equal(space.ParameterCount(genotype), model.CountParameters());
            Assert.Equal(space.FlopCount(genotype), model.CountFlops());
        }
    }

    [Fact]
    public void Forward_gives_class_scores_and_residual_blocks_keep_the_map()
    {
        var space = new CnnSpace(CnnSpaceOptions.Mnas(3, 28, 1, 10));
        using var generator = new Generator(3);
        using var model = CnnModel.Create(space, space.Sample(new SeededRandom(9)), generator);
        model.eval();
        using var x = randn(2, 1, 28, 28);
        using var y = model.forward(x);
        Assert.Equal(new long[] { 2, 10 }, y.shape);
    }

    [Fact]
    public void Squeeze_excite_adds_exactly_the_documented_parameters()
    {
        var space = new CnnSpace(CnnSpaceOptions.Mnas(1, 16, 1, 10));
        // stage 1: 1 layer, kernel 3, expand 6, width 1.0; SE off vs on.
        var off = space.Create([0, 0, 2, 0, 2]);
        var on = space.Create([0, 0, 2, 1, 2]);
        using var a = CnnModel.Build(space, off);
        using var b = CnnModel.Build(space, on);
        long mid = 32 * 6, r = mid / 4;
        Assert.Equal(mid * r + r + r * mid + mid, b.CountParameters() - a.CountParameters());
    }
}
