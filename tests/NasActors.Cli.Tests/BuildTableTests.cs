using NasActors.Core.Benchmarks;

namespace NasActors.Cli.Tests;

/// <summary><c>nas bench build-table</c> end to end: a tiny grid trained for real, the table read back, a second run resumes.</summary>
public sealed class BuildTableTests
{
    private const string Spec = """
        name: tiny-table
        seed: 5
        space:
          type: mlp
          depth: [1]
          widths: [8, 16]
          activations: [relu]
          dropout: [0.0]
          learning_rate: {low: 0.001, high: 0.01}
        dataset:
          path: DIGITS
        training:
          epochs: 3
          batch_size: 64
        strategy:
          name: grid
          grid: 1
          repeats: 2
        budget:
          trials: 4
        execution:
          trainers: 2
        """;

    [Fact]
    public async Task Writes_every_configuration_with_every_seed_and_epoch_and_a_second_run_finds_the_grid_done()
    {
        using var temp = new TempFolder();
        File.WriteAllText(Path.Combine(temp.Path, "spec.yaml"), Spec.Replace("DIGITS", RepoPaths.Digits));

        var first = await NasProcess.RunToEndAsync(temp.Path, TimeSpan.FromMinutes(4), "bench", "build-table", "spec.yaml", "--out", "table.csv.gz");

        Assert.True(first.ExitCode == 0, first.Output);
        var table = LearningCurveTable.Load(Path.Combine(temp.Path, "table.csv.gz"));
        Assert.Equal(2, table.Count); // width 8 and 16, one learning rate (grid: 1)
        Assert.Equal(3, table.Epochs);
        foreach (var arch in table.Architectures)
        {
            var runs = table.Curves(arch);
            Assert.Equal([0, 1], runs.Select(r => r.Seed));
            Assert.All(runs, r =>
            {
                Assert.All(r.ValidationAccuracy.Concat(r.TrainAccuracy), a => Assert.InRange(a, 0, 1));
                Assert.All(r.EpochSeconds, s => Assert.True(s > 0));
                Assert.True(r.Parameters > 0 && r.Flops > 0);
                Assert.True(r.TrainLoss[^1] < r.TrainLoss[0], $"{arch} seed {r.Seed}: training loss did not fall");
            });
            Assert.NotEqual(runs[0].ValidationLoss, runs[1].ValidationLoss); // two seeds, two trainings
        }

        File.Delete(Path.Combine(temp.Path, "table.csv.gz"));
        var second = await NasProcess.RunToEndAsync(temp.Path, TimeSpan.FromMinutes(2), "bench", "build-table", "spec.yaml", "--out", "table.csv.gz");
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("already ran", second.Output);
        Assert.Equal(2, LearningCurveTable.Load(Path.Combine(temp.Path, "table.csv.gz")).Count);
    }
}
