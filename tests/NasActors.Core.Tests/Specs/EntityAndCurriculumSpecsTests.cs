using NasActors.Core.Specs;
using Xunit;

namespace NasActors.Core.Tests.Specs;

/// <summary>The entity and curriculum examples say what they should, and their mistakes name file:line and field (ExampleSpecsTests loads every example).</summary>
public sealed class EntityAndCurriculumSpecsTests
{
    [Fact]
    public void The_entity_examples_run_their_strategies_as_entities()
    {
        var islands = SpecReader.ReadFile(Path.Combine(RepoFiles.Root, "examples", "islands-evolution.yaml"));
        Assert.True(islands.Execution.Entities);
        Assert.Equal(2, islands.Strategy.Int("islands"));
        Assert.Equal(2, islands.Execution.InFlight);
        Assert.True(SpecReader.ReadFile(Path.Combine(RepoFiles.Root, "examples", "reinforce.yaml")).Execution.Entities);
        Assert.True(SpecReader.ReadFile(Path.Combine(RepoFiles.Root, "examples", "manas-nb201.yaml")).Execution.Entities);
    }

    [Fact]
    public void The_curriculum_example_has_three_stages_and_its_budget_is_their_sum()
    {
        var spec = SpecReader.ReadFile(Path.Combine(RepoFiles.Root, "examples", "curriculum.yaml"));
        var stages = spec.Stages!;
        Assert.Equal(["coarse", "refine", "final"], stages.Select(s => s.Name));
        Assert.Equal(16 + 8 + 2, spec.Budget.Trials);
        Assert.Equal((2, 0.25, 4), (stages[0].Epochs, stages[0].DataFraction, stages[0].PromoteTopK!.Value));
        Assert.Equal(0.25, stages[1].PromoteTopFraction);
        Assert.Equal(["relu", "tanh"], stages[0].Restrict!["act"]);
        // Stored as JSON in the journal and read back by the coordinator.
        Assert.Equal(["1", "2"], SearchSpecJson.Deserialize(SearchSpecJson.Serialize(spec)).Stages![0].Restrict!["depth"]);
    }

    [Theory]
    [InlineData("promote: {top_k: 4}", "", "stages[0].promote")]
    [InlineData("act: [relu, tanh]", "act: [relu, swish]", "stages[0].restrict.act")]
    [InlineData("act: [relu, tanh]", "colour: [red]", "stages[0].restrict.colour")]
    public void A_bad_stage_is_an_error_naming_the_file_line_and_field(string replace, string with, string field)
    {
        var path = Path.Combine(Path.GetTempPath(), $"curriculum-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, File.ReadAllText(Path.Combine(RepoFiles.Root, "examples", "curriculum.yaml"))
            .Replace(replace, with).Replace("../data", Path.Combine(RepoFiles.Root, "data")));
        try
        {
            var error = Assert.Throws<SpecException>(() => SpecReader.ReadFile(path));
            Assert.Contains($"{path}:", error.Message);
            Assert.Contains(field, error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Islands_without_entities_are_an_error_naming_the_file_and_line()
    {
        var path = Path.Combine(Path.GetTempPath(), $"islands-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, File.ReadAllText(Path.Combine(RepoFiles.Root, "examples", "islands-evolution.yaml"))
            .Replace("entities: true", "entities: false").Replace("../data", Path.Combine(RepoFiles.Root, "data")));
        try
        {
            var error = Assert.Throws<SpecException>(() => SpecReader.ReadFile(path));
            Assert.Contains($"{path}:", error.Message);
            Assert.Contains("islands", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
