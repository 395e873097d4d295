using System.IO.Compression;
using System.Text.Json;
using NasActors.Core.Data;
using NasActors.Core.Spaces;
using NasActors.Training.Export;
using NasActors.Training.Models;
using static TorchSharp.torch;

namespace NasActors.Training.Tests;

public sealed class ModelExporterTests
{
    private static readonly Nb201Space Space = new();
    private const string Arch = "|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|avg_pool_3x3~0|none~1|nor_conv_3x3~2|";

    [Fact]
    public void Exported_weights_round_trip_and_the_pytorch_file_is_a_torch_save_zip()
    {
        using var folder = new TempDirectory();
        var networks = new NetworkFactory(Space, new ImageShape(1, 28, 28), 10, new Nb201ModelOptions(new ImageShape(1, 28, 28), 10, 4, 1));
        var genotype = CanonicalParser.Parse(Space, Arch);
        using var generator = new Generator(8);
        using var trained = networks.Create(genotype, generator);
        var weights = Path.Combine(folder.Path, "trial-1.pt");
        Directory.CreateDirectory(folder.Path);
        trained.save(weights);

        ModelExporter.Export(networks, genotype, weights, Path.Combine(folder.Path, "out"), new Dictionary<string, object?> { ["trial"] = 1 });

        using var reloaded = networks.Build(genotype);
        reloaded.load(Path.Combine(folder.Path, "out", ModelExporter.TorchSharpFile), strict: true);
        Assert.All(trained.state_dict().Zip(reloaded.state_dict()), kv => Assert.True(TensorAssert.Same(kv.First.Value, kv.Second.Value), kv.First.Key));

        using var zip = ZipFile.OpenRead(Path.Combine(folder.Path, "out", ModelExporter.PyTorchFile));
        Assert.Contains(zip.Entries, e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, "out", ModelExporter.ArchitectureFile)));
        Assert.Equal(Arch, json.RootElement.GetProperty("canonical").GetString());
        Assert.Equal(trained.CountParameters(), json.RootElement.GetProperty("parameters").GetInt64());
        Assert.Contains("cells.0.edge10.conv.weight", json.RootElement.GetProperty("state_dict_keys").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Canonical_text_of_every_space_parses_back_to_the_same_genotype()
    {
        var random = new NasActors.Core.Randomness.SeededRandom(4);
        SearchSpace[] spaces =
        [
            Space,
            new CnnSpace(CnnSpaceOptions.Mnas(3, 28, 1, 10)),
            new JointSpace(Space, [new LogUniformDecision("lr", 1e-4, 1e-1), new CategoricalDecision("batch_size", ["32", "64"])]),
            TestData.Digits().Space
        ];
        foreach (var space in spaces)
            for (var i = 0; i < 10; i++)
            {
                var genotype = space.Sample(random);
                Assert.Equal(genotype, CanonicalParser.Parse(space, genotype.Canonical));
            }
        Assert.Throws<FormatException>(() => CanonicalParser.Parse(spaces[1], "s1.layers=9"));
    }

    [Fact]
    public void Weights_of_another_architecture_are_refused()
    {
        using var folder = new TempDirectory();
        Directory.CreateDirectory(folder.Path);
        var networks = new NetworkFactory(Space, new ImageShape(1, 28, 28), 10, new Nb201ModelOptions(new ImageShape(1, 28, 28), 10, 4, 1));
        using var generator = new Generator(8);
        using var other = networks.Create(Space.Parse("|none~0|+|none~0|none~1|+|none~0|none~1|skip_connect~2|"), generator);
        var weights = Path.Combine(folder.Path, "other.pt");
        other.save(weights);
        Assert.ThrowsAny<Exception>(() => ModelExporter.Export(networks, Space.Parse(Arch), weights, Path.Combine(folder.Path, "out")));
    }
}
