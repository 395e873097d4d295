using System.Globalization;
using NasActors.Core.Data;
using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Training.Metrics;
using NasActors.Training.Models;
using NasActors.Training.Trials;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NasActors.Training.Tests;

public sealed class Nb201ModelTests(ITestOutputHelper output)
{
    private static readonly Nb201Space Space = new();
    private static readonly Nb201ModelOptions Cifar = new(new ImageShape(3, 32, 32), 10);

    [Fact]
    public void Parameters_of_random_cells_match_the_benchmark_table()
    {
        var rows = File.ReadLines(TestData.Nb201TablePath).Skip(1).Select(l => l.Split(',')).ToArray();
        var random = new Random(2020);
        for (var i = 0; i < 24; i++)
        {
            var row = rows[random.Next(rows.Length)];
            var genotype = Space.Parse(row[1]);
            var tableMillions = double.Parse(row[12], CultureInfo.InvariantCulture);
            using var model = Nb201Model.Build(Space, genotype, Cifar);

            var counted = model.CountParameters();

            Assert.True(Math.Abs(counted / 1e6 - tableMillions) <= 0.01 * tableMillions,
                $"{row[1]}: built {counted} parameters, table says {tableMillions}M");
            Assert.Equal(Space.ParameterCount(genotype), counted);
        }
    }

    [Fact]
    public void Counted_flops_are_the_convolution_part_of_the_benchmark_flops()
    {
        // The benchmark's counter also charges BN/ReLU/pooling per output value; ours counts MACs of
        // convolutions and linear layers only, so it is a little below the table, never above.
        foreach (var arch in new[]
        {
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|",
            "|nor_conv_1x1~0|+|skip_connect~0|avg_pool_3x3~1|+|none~0|nor_conv_3x3~1|skip_connect~2|",
        })
        {
            var genotype = Space.Parse(arch);
            using var model = Nb201Model.Build(Space, genotype, Cifar);
            var counted = model.CountFlops();
            var analytic = Space.FlopCount(genotype)!.Value;
            output.WriteLine($"{arch}: counted {counted}, space {analytic}");
            Assert.InRange(counted, (long)(analytic * 0.9), analytic);
        }
    }

    [Fact]
    public void Forward_keeps_shapes_for_every_operation_and_an_all_none_cell_outputs_zeros()
    {
        using var generator = new Generator(1);
        foreach (var arch in new[]
        {
            "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|",
            "|avg_pool_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|nor_conv_3x3~0|none~1|avg_pool_3x3~2|",
        })
        {
            using var model = Nb201Model.Create(Space, Space.Parse(arch), new Nb201ModelOptions(new ImageShape(1, 28, 28), 10, 4, 1), generator);
            model.eval();
            using var x = randn(2, 1, 28, 28);
            using var y = model.forward(x);
            Assert.Equal(new long[] { 2, 10 }, y.shape);
        }
    }

    [Fact]
    public void Same_seed_builds_identical_weights()
    {
        var genotype = Space.Parse("|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|avg_pool_3x3~0|none~1|nor_conv_3x3~2|");
        var options = new Nb201ModelOptions(new ImageShape(1, 28, 28), 10, 4, 1);
        using var g1 = new Generator(42);
        using var g2 = new Generator(42);
        using var g3 = new Generator(43);
        using var a = Nb201Model.Create(Space, genotype, options, g1);
        using var b = Nb201Model.Create(Space, genotype, options, g2);
        using var c = Nb201Model.Create(Space, genotype, options, g3);
        var pa = a.parameters().ToArray();
        Assert.All(pa.Zip(b.parameters()), p => Assert.True(TensorAssert.Same(p.First, p.Second)));
        Assert.Contains(pa.Zip(c.parameters()), p => !TensorAssert.Same(p.First, p.Second));
    }

    [Fact]
    public async Task Small_cell_network_learns_mnist_above_chance_in_one_short_epoch()
    {
        using var artifacts = new TempDirectory();
        var definition = TestData.Mnist(new Nb201SpaceSpec("nb201", false), examples: 1500);
        using var evaluator = new TorchTrialEvaluator(definition, new TorchEvaluatorOptions
        {
            LearningRate = 3e-3,
            Latency = new LatencyMeter(1, 3),
            Nb201 = new Nb201ModelOptions(new ImageShape(1, 28, 28), 10, Channels: 4, CellsPerStage: 1)
        });
        var genotype = Space.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|");

        var metrics = await evaluator.EvaluateAsync(new TrialRequest(1, genotype, new Fidelity(1) { Resolution = 14 }, 3),
            TestData.Context(artifacts.Path, threads: 1), CancellationToken.None);

        output.WriteLine($"acc {metrics.ValidationAccuracy} loss {metrics.ValidationLoss} s {metrics.Seconds} " +
                         string.Join(" ", metrics.Extra!.Select(kv => $"{kv.Key}={kv.Value:G4}")));
        Assert.True(metrics.ValidationAccuracy > 0.3, $"validation accuracy {metrics.ValidationAccuracy} (chance is 0.1)");
        Assert.Equal(metrics.ValidationLoss, metrics.Get(MetricNames.ValidationLossEpoch(1)));
        Assert.True(metrics.Get(MetricNames.Flops) > 0);
        Assert.True(metrics.Get(MetricNames.LatencyBatch1) > 0 && metrics.Get(MetricNames.LatencyBatch) >= metrics.Get(MetricNames.LatencyBatch1) * 0.5);
        Assert.Equal(64, metrics.Get(MetricNames.LatencyBatchSize));
        Assert.True(File.Exists(TorchTrialEvaluator.WeightsPath(artifacts.Path, 1)));
    }
}
