using Xunit;
using NasActors.Core.Spaces;
using NasActors.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace NasActors.Training.Tests;

public class MlpModelTests
{
    private readonly MlpSpace _space = (MlpSpace)TestData.Digits().Space;

    public static TheoryData<int, int[], string, double> Genotypes => new()
    {
        { 1, [32], "relu", 0.0 },
        { 2, [128, 64], "gelu", 0.1 },
        { 3, [64, 32, 128], "tanh", 0.3 },
        { 2, [32, 32], "sigmoid", 0.0 },
        { 3, [128, 128, 128], "silu", 0.1 },
    };

    [Theory]
    [MemberData(nameof(Genotypes))]
    public void Built_model_has_the_parameters_the_space_counts(int depth, int[] widths, string activation, double dropout)
    {
        var genotype = TestData.Mlp(_space, depth, widths, activation, dropout, 1e-3);
        using var generator = new Generator(1);
        using var model = MlpModel.Create(_space, genotype, generator);

        Assert.Equal(_space.ParameterCount(genotype), model.CountParameters());
    }

    [Fact]
    public void Every_sampled_genotype_builds_with_the_counted_parameters()
    {
        var random = new NasActors.Core.Randomness.SeededRandom(3);
        for (var i = 0; i < 20; i++)
        {
            var genotype = _space.Sample(random);
            using var generator = new Generator(1);
            using var model = MlpModel.Create(_space, genotype, generator);
            Assert.Equal(_space.ParameterCount(genotype), model.CountParameters());
        }
    }

    [Fact]
    public void Same_generator_seed_gives_the_same_initial_weights_and_another_seed_does_not()
    {
        var genotype = TestData.Mlp(_space, 2, [64, 32], "relu", 0.0, 1e-3);
        using var g1 = new Generator(42);
        using var g2 = new Generator(42);
        using var g3 = new Generator(43);
        using var a = MlpModel.Create(_space, genotype, g1);
        using var b = MlpModel.Create(_space, genotype, g2);
        using var c = MlpModel.Create(_space, genotype, g3);

        var pa = a.parameters().ToList();
        var pb = b.parameters().ToList();
        var pc = c.parameters().ToList();
        Assert.All(pa.Zip(pb), p => Assert.True(TensorAssert.Same(p.First, p.Second)));
        Assert.False(TensorAssert.Same(pa[0], pc[0]));
    }

    [Fact]
    public void Model_maps_a_batch_of_features_to_class_logits()
    {
        var genotype = TestData.Mlp(_space, 3, [32, 64, 128], "silu", 0.3, 1e-3);
        using var generator = new Generator(5);
        using var model = MlpModel.Create(_space, genotype, generator);
        model.eval();
        using var scope = NewDisposeScope();

        var output = model.forward(rand(8, 64));

        Assert.Equal(new long[] { 8, 10 }, output.shape);
    }

    [Fact]
    public void Unknown_activation_is_refused()
    {
        var space = new MlpSpace(_space.Options with { Activations = ["relu", "swish"] });
        var genotype = space.Create([0, 0, 0, 0, 1, 0, 1e-3]);
        using var generator = new Generator(1);

        var error = Assert.Throws<ArgumentException>(() => MlpModel.Create(space, genotype, generator));
        Assert.Contains("swish", error.Message);
    }
}
