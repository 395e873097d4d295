using NasActors.Core.Data;
using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using NasActors.Core.Strategies.OneShot;
using NasActors.Core.Strategies.Supernet;
using NasActors.Training.Models;
using NasActors.Training.Supernet;
using static TorchSharp.torch;

namespace NasActors.Training.Tests.Supernet;

/// <summary>DARTS' mixed ops and α steps, and the single-path steps and rewards of weight-sharing MANAS, on tiny NB201 networks.</summary>
public sealed class Nb201OneShotTests
{
    private static readonly Nb201Space Nb201 = new();

    private static SearchDefinition DigitsAsImages()
    {
        var digits = TestData.Digits(batchSize: 32);
        var spec = digits.Spec with
        {
            Space = new Nb201SpaceSpec("nb201", false),
            Dataset = digits.Spec.Dataset with { Image = new ImageShape(1, 8, 8) }
        };
        return SearchDefinition.From(spec, digits.Shape);
    }

    [Fact]
    public void A_one_hot_mixture_runs_exactly_the_single_path()
    {
        using var net = new Nb201Supernet(Nb201, new Nb201ModelOptions(new ImageShape(1, 8, 8), Classes: 3, Channels: 4, CellsPerStage: 1));
        using (var generator = new Generator(5)) CandidateNetwork.Initialise(net, generator);
        net.eval();
        using var x = randn(2, 1, 8, 8, generator: new Generator(6));
        // Cells without 'none': a 'none' edge leaves a node empty in the path, but zero-valued (and then normalised) in the mixture.
        foreach (var arch in new[]
        {
            "|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|avg_pool_3x3~0|skip_connect~1|nor_conv_3x3~2|",
            "|avg_pool_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|nor_conv_1x1~0|avg_pool_3x3~1|nor_conv_3x3~2|"
        })
        {
            var path = Nb201.Parse(arch);
            using var oneHot = nn.functional.one_hot(tensor(path.Values.Select(v => (long)v).ToArray()), 5).to_type(ScalarType.Float32);
            net.Path = path;
            using var single = net.forward(x);
            using var mixed = net.MixedForward(x, oneHot);
            Assert.True(mixed.allclose(single, rtol: 1e-4, atol: 1e-5), $"{arch}: the one-hot mixture differs from the path");
        }
    }

    [Fact]
    public void A_darts_step_moves_alpha_by_its_validation_gradient_and_the_weights_by_theirs()
    {
        using var oneShot = new Nb201OneShot(DigitsAsImages(), new OneShotNetwork(Channels: 4), weightLearningRate: 0.01, seed: 3);
        var alphaBefore = oneShot.ExportAlpha().Tensors[0].Values;
        var stemBefore = oneShot.Module.ExportBlock("stem").Tensors[0].Values;
        Assert.Null(oneShot.AlphaGradient);

        var (train, validation) = oneShot.DartsStep(new DartsOptions(AlphaLearningRate: 0.01));

        var gradient = oneShot.AlphaGradient!;
        Assert.True(double.IsFinite(train) && double.IsFinite(validation));
        Assert.Equal(Nb201Space.Edges * 5, gradient.Length);
        Assert.All(gradient, g => Assert.True(float.IsFinite(g)));
        // 'none' has no output, but softmax couples it to the others, so every entry gets a gradient.
        Assert.True(gradient.Count(g => g != 0) >= 24, $"α gradient: {string.Join(", ", gradient)}");
        Assert.NotEqual(alphaBefore, oneShot.ExportAlpha().Tensors[0].Values);
        Assert.NotEqual(stemBefore, oneShot.Module.ExportBlock("stem").Tensors[0].Values);
        var p = oneShot.AlphaProbabilities();
        Assert.All(p, row => Assert.Equal(1.0, row.Sum(), 5));
    }

    [Fact]
    public void Alpha_round_trips_as_a_block_and_a_wrong_block_is_refused()
    {
        using var a = new Nb201OneShot(DigitsAsImages(), new OneShotNetwork(Channels: 4), 0.01, seed: 3);
        using var b = new Nb201OneShot(DigitsAsImages(), new OneShotNetwork(Channels: 4), 0.01, seed: 4);
        a.DartsStep(new DartsOptions(AlphaLearningRate: 0.05));

        b.ImportAlpha(BlockWeights.FromBytes(a.ExportAlpha().ToBytes()));

        Assert.Equal(a.AlphaProbabilities(), b.AlphaProbabilities());
        Assert.Throws<ArgumentException>(() => b.ImportAlpha(a.Module.ExportBlock("head")));
    }

    [Fact]
    public void Single_path_steps_lift_the_paths_validation_batch_accuracy()
    {
        using var oneShot = new Nb201OneShot(DigitsAsImages(), new OneShotNetwork(Channels: 4), 0.01, seed: 3);
        var path = Nb201.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
        var before = Enumerable.Range(0, 5).Average(_ => oneShot.ValidationBatchAccuracy(path));

        var loss = oneShot.TrainPath(path, batches: 40);

        var after = Enumerable.Range(0, 5).Average(_ => oneShot.ValidationBatchAccuracy(path));
        Assert.True(double.IsFinite(loss));
        Assert.True(after > before + 0.2, $"validation-batch accuracy {before:F3} → {after:F3} after 40 batches (loss {loss:F3})");
    }
}
