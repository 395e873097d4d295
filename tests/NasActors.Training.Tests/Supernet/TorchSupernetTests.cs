using NasActors.Core.Data;
using NasActors.Core.Randomness;
using NasActors.Core.Specs;
using NasActors.Core.Strategies.Supernet;
using NasActors.Training.Models;
using NasActors.Training.Supernet;

namespace NasActors.Training.Tests.Supernet;

/// <summary>Single-path training and inherited-weight scoring on the digits, kept to a few batches.</summary>
public sealed class TorchSupernetTests
{
    private static readonly SposOptions Options = new(SupernetLearningRate: 0.01, CalibrationBatches: 2);

    [Fact]
    public void Training_a_path_changes_only_its_blocks_learns_and_is_deterministic_for_a_seed()
    {
        var definition = TestData.Digits(batchSize: 32);
        using var supernet = new TorchSupernet(definition, Options);
        var weights = supernet.Initialise(seed: 1);
        Assert.Equal(supernet.Blocks.Order(), weights.Keys.Order());
        var path = TestData.Mlp((Core.Spaces.MlpSpace)definition.Space, 2, [64, 32], "relu", 0.0, 0.01);
        var blocks = supernet.BlocksOf(path);

        var first = supernet.Train(path, weights, batches: 30, seed: 3, CancellationToken.None);
        var again = supernet.Train(path, weights, batches: 30, seed: 3, CancellationToken.None);

        Assert.Equal(blocks.Order(), first.Weights.Keys.Order());
        Assert.Equal(30 * 32, first.Samples);
        Assert.True(double.IsFinite(first.Loss));
        Assert.All(blocks, b => Assert.NotEqual(weights[b].Tensors[0].Values, first.Weights[b].Tensors[0].Values));
        Assert.All(blocks, b => Assert.Equal(first.Weights[b].Tensors[0].Values, again.Weights[b].Tensors[0].Values));

        var trained = weights.ToDictionary(kv => kv.Key, kv => first.Weights.GetValueOrDefault(kv.Key, kv.Value));
        var before = supernet.Score(path, weights, CancellationToken.None);
        var after = supernet.Score(path, trained, CancellationToken.None);
        Assert.True(after > before + 0.2, $"loss {first.Loss}; 30 batches should lift the path's accuracy well above chance: {before} → {after}");
    }

    [Fact]
    public void An_nb201_supernet_trains_and_scores_with_recalibrated_batch_norm()
    {
        var digits = TestData.Digits(batchSize: 32);
        var spec = digits.Spec with
        {
            Space = new Nb201SpaceSpec("nb201", false),
            Dataset = digits.Spec.Dataset with { Image = new ImageShape(1, 8, 8) }
        };
        var definition = SearchDefinition.From(spec, digits.Shape);
        using var supernet = new TorchSupernet(definition, Options, new Nb201ModelOptions(new ImageShape(1, 8, 8), 10, Channels: 4, CellsPerStage: 1));
        var weights = supernet.Initialise(seed: 1);
        var path = definition.Space.Sample(new SeededRandom(5));

        var steps = supernet.Train(path, weights, batches: 3, seed: 3, CancellationToken.None);
        var merged = weights.ToDictionary(kv => kv.Key, kv => steps.Weights.GetValueOrDefault(kv.Key, kv.Value));
        var score = supernet.Score(path, merged, CancellationToken.None);

        Assert.True(double.IsFinite(steps.Loss));
        Assert.InRange(score, 0, 1);
        Assert.Equal(score, supernet.Score(path, merged, CancellationToken.None));
    }
}
