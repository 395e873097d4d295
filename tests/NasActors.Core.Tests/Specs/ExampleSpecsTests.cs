using System.Text.RegularExpressions;
using NasActors.Core.Specs;
using NasActors.Core.Strategies.MultiObjective;

namespace NasActors.Core.Tests.Specs;

/// <summary>
/// The specs in examples/ are what users copy, so every one must load as shipped. The one exception:
/// a dataset under /usr/share/datasets (a machine-wide data folder a fresh machine may not have yet).
/// </summary>
public sealed partial class ExampleSpecsTests
{
    private const string MachineDatasets = "/usr/share/datasets/";

    public static TheoryData<string> Examples => new(ExampleFiles());

    private static string[] ExampleFiles() =>
        Directory.GetFiles(Path.Combine(RepoFiles.Root, "examples"), "*.yaml").Select(f => Path.GetFileName(f)).Order().ToArray();

    [Fact]
    public void The_examples_folder_holds_the_documented_examples()
    {
        Assert.Contains("quickstart.yaml", ExampleFiles());
        Assert.Contains("mlp-hyperparameters-constraints.yaml", ExampleFiles());
    }

    [Theory, MemberData(nameof(Examples))]
    public void Example_loads_through_the_spec_reader(string file)
    {
        try
        {
            var spec = SpecReader.ReadFile(Path.Combine(RepoFiles.Root, "examples", file));
            Assert.False(string.IsNullOrEmpty(spec.Name));
        }
        catch (SpecException e) when (MissingMachineDataset(e.Message) is { } path && !File.Exists(path))
        {
            // Tolerated only for the machine-wide data folder; any other missing file is a broken example.
        }
    }

    [Fact]
    public void Hyperparameter_and_constraint_example_has_what_it_shows_and_builds_its_search()
    {
        var spec = SpecReader.ReadFile(Path.Combine(RepoFiles.Root, "examples", "mlp-hyperparameters-constraints.yaml"));
        Assert.NotNull(spec.Hyperparameters);
        Assert.NotNull(spec.Hyperparameters.WeightDecay);
        Assert.Equal(["val_accuracy", "params"], spec.Objectives.Select(o => o.Metric));
        Assert.Contains(spec.Constraints.AllLimits, l => l.Hard);
        Assert.Contains(spec.Constraints.AllLimits, l => !l.Hard);

        // The digits file ships with the repository, so the whole search must build and respect the hard limit.
        var definition = SearchDefinition.Load(spec);
        var strategy = Assert.IsType<Nsga2>(definition.CreateStrategy());
        for (var id = 1; id <= 30; id++)
        {
            // Told at once, so after its random start NSGA-II breeds children, which must stay feasible too.
            var trial = strategy.Ask(id)!;
            Assert.True(definition.Constraints.IsFeasible(trial.Genotype), $"{trial.Genotype} breaks a hard limit");
            var metrics = new TrialMetrics(0.5 + id % 7 / 20.0, 1, definition.Space.ParameterCount(trial.Genotype), 1);
            strategy.Tell(new TrialSucceeded(id, metrics, definition.Score(trial.Genotype, metrics)));
        }
    }

    private static string? MissingMachineDataset(string message) =>
        DatasetPath().Match(message) is { Success: true } m && m.Groups[1].Value.StartsWith(MachineDatasets, StringComparison.Ordinal)
            ? m.Groups[1].Value
            : null;

    [GeneratedRegex("'dataset\\.path': dataset file '([^']+)' does not exist")]
    private static partial Regex DatasetPath();
}
