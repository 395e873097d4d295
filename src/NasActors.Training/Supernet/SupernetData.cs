using NasActors.Core.Data;
using NasActors.Core.Specs;
using NasActors.Training.Data;
using NasActors.Training.Models;
using static TorchSharp.torch;

namespace NasActors.Training.Supernet;

/// <summary>
/// The search's dataset as tensors for supernet training and scoring: the same split (by the
/// search seed) as <see cref="Trials.TorchTrialEvaluator"/> uses, so inherited-weight scores and
/// the retrained trials are measured on the same validation rows. Read-only after construction.
/// </summary>
public sealed class SupernetData : IDisposable
{
    public SupernetData(SearchDefinition definition, NetworkFactory networks, ImageShape? dataImage)
    {
        var spec = definition.Spec;
        var (data, image) = DatasetLoader.Load(spec.Dataset);
        if (data.FeatureCount != definition.Shape.Features || data.Classes != definition.Shape.Classes)
            throw new InvalidOperationException(
                $"dataset '{spec.Dataset.Path}' has {data.FeatureCount} features and {data.Classes} classes, " +
                $"but the search was defined for {definition.Shape.Features} features and {definition.Shape.Classes} classes");
        var (train, validation) = data.Split(spec.Dataset.ValidationFraction, spec.Seed);
        var shape = image ?? dataImage;
        TrainX = Inputs(Rows(data, train), networks, shape);
        TrainY = Labels(data, train);
        ValidationX = Inputs(Rows(data, validation), networks, shape);
        ValidationY = Labels(data, validation);
    }

    public Tensor TrainX { get; }
    public Tensor TrainY { get; }
    public Tensor ValidationX { get; }
    public Tensor ValidationY { get; }
    public long TrainCount => TrainX.shape[0];

    /// <summary>A random training batch of <paramref name="batchSize"/> rows (all, if fewer), drawn with <paramref name="generator"/>.</summary>
    public (Tensor X, Tensor Y, int Size) TrainBatch(int batchSize, Generator generator) => Batch(TrainX, TrainY, batchSize, generator);

    /// <summary>A random validation batch of <paramref name="batchSize"/> rows (all, if fewer), drawn with <paramref name="generator"/>.</summary>
    public (Tensor X, Tensor Y, int Size) ValidationBatch(int batchSize, Generator generator) => Batch(ValidationX, ValidationY, batchSize, generator);

    private static (Tensor X, Tensor Y, int Size) Batch(Tensor x, Tensor y, int batchSize, Generator generator)
    {
        var size = (int)Math.Min(batchSize, x.shape[0]);
        var rows = randperm(x.shape[0], generator: generator).narrow(0, 0, size);
        return (x.index_select(0, rows), y.index_select(0, rows), size);
    }

    private static Tensor Rows(TabularDataset data, int[] rows)
    {
        var features = data.FeatureCount;
        var x = new float[rows.Length * features];
        for (var i = 0; i < rows.Length; i++) Array.Copy(data.Features[rows[i]], 0, x, i * features, features);
        return tensor(x, new long[] { rows.Length, features });
    }

    private static Tensor Labels(TabularDataset data, int[] rows) =>
        tensor(rows.Select(r => (long)data.Labels[r]).ToArray()).DetachFromDisposeScope();

    /// <summary>Flat rows for an MLP; images at the network's input side otherwise.</summary>
    private static Tensor Inputs(Tensor rows, NetworkFactory networks, ImageShape? shape)
    {
        if (!networks.TakesImages) return rows.DetachFromDisposeScope();
        using var _ = rows;
        using var images = ImageTensors.View(rows, shape ?? throw new ArgumentException("a NAS-Bench-201 supernet needs image data"));
        var input = networks.Nb201.Input;
        return ImageTensors.Resize(images, input.Height, input.Width).DetachFromDisposeScope();
    }

    public void Dispose()
    {
        TrainX.Dispose();
        TrainY.Dispose();
        ValidationX.Dispose();
        ValidationY.Dispose();
    }
}
