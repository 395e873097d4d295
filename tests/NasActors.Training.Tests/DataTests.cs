using NasActors.Core.Data;
using NasActors.Core.Specs;
using NasActors.Training.Data;
using static TorchSharp.torch;

namespace NasActors.Training.Tests;

public sealed class DataTests
{
    [Fact]
    public void Fashion_mnist_idx_files_load_as_scaled_images_with_labels()
    {
        var (data, shape) = IdxReader.Load(TestData.FashionImages, IdxReader.LabelsPathFor(TestData.FashionImages), limit: 500);

        Assert.Equal(new ImageShape(1, 28, 28), shape);
        Assert.Equal(500, data.Count);
        Assert.Equal(784, data.FeatureCount);
        Assert.Equal(10, data.Classes);
        Assert.All(data.Features, row => Assert.InRange(row.Max(), 0.5f, 1f));
        Assert.InRange(data.Labels.Distinct().Count(), 10, 10);
    }

    [Fact]
    public void Raw_idx_files_read_like_gzipped_ones()
    {
        using var folder = new TempDirectory();
        Directory.CreateDirectory(folder.Path);
        var images = Path.Combine(folder.Path, "tiny-images-idx3-ubyte");
        var labels = Path.Combine(folder.Path, "tiny-labels-idx1-ubyte");
        File.WriteAllBytes(images, [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 255, 51, 102]);
        File.WriteAllBytes(labels, [0, 0, 8, 1, 0, 0, 0, 2, 1, 0]);

        var (data, shape) = IdxReader.Load(images, IdxReader.LabelsPathFor(images));

        Assert.Equal(new ImageShape(1, 1, 2), shape);
        Assert.Equal(new[] { 0f, 1f }, data.Features[0]);
        Assert.Equal(new[] { 0.2f, 0.4f }, data.Features[1]);
        Assert.Equal(new[] { 1, 0 }, data.Labels);
    }

    [Fact]
    public void A_missing_fashion_mnist_file_says_how_to_install_it()
    {
        var missing = Path.Combine(IdxReader.FashionMnistFolder, "no-such-images-idx3-ubyte.gz");
        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(missing));
        Assert.Contains(missing, error.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", error.Message);
    }

    [Fact]
    public void Spec_reads_an_idx_dataset_and_rejects_unknown_image_keys()
    {
        using var folder = new TempDirectory();
        Directory.CreateDirectory(folder.Path);
        var specPath = Path.Combine(folder.Path, "spec.yaml");
        var yaml = $"""
            name: fashion
            space: {"{"}type: cnn, stages: 2{"}"}
            dataset:
              format: idx
              path: {TestData.FashionImages}
              max_examples: 300
            strategy: {"{"}name: random{"}"}
            budget: {"{"}trials: 2{"}"}
            """;
        var spec = SpecReader.Read(yaml, specPath);
        Assert.Equal("idx", spec.Dataset.Format);
        Assert.EndsWith("t10k-labels-idx1-ubyte.gz", spec.Dataset.LabelsPath);
        var definition = SearchDefinition.Load(spec);
        Assert.Equal(new DatasetShape(784, 10), definition.Shape);

        var bad = yaml.Replace("  max_examples: 300", "  image: {channels: 1, height: 28, width: 28, depth: 3}");
        var error = Assert.Throws<SpecException>(() => SpecReader.Read(bad, specPath));
        Assert.Contains($"{specPath}:6", error.Message);
        Assert.Contains("dataset.image.depth", error.Message);
    }

    [Fact]
    public void Image_view_reshapes_rows_channel_major_and_resize_is_bilinear()
    {
        using var rows = arange(2 * 2 * 3 * 3, dtype: float32).reshape(2, 18);
        using var images = ImageTensors.View(rows, new ImageShape(2, 3, 3));
        Assert.Equal(new long[] { 2, 2, 3, 3 }, images.shape);
        Assert.Equal(9f, images[0, 1, 0, 0].item<float>());

        using var constant = ones(1, 1, 8, 8);
        using var small = ImageTensors.Resize(constant, 4, 4);
        Assert.Equal(new long[] { 1, 1, 4, 4 }, small.shape);
        Assert.True(small.allclose(ones(1, 1, 4, 4)));
        Assert.Throws<ArgumentException>(() => ImageTensors.View(rows, new ImageShape(1, 4, 4)));
    }
}
