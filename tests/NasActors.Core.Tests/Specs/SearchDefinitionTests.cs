using NasActors.Core.Specs;

namespace NasActors.Core.Tests.Specs;

public sealed class SearchDefinitionTests : IDisposable
{
    private readonly SpecFolder _folder = new();
    private static readonly string LatencyTable = RepoFiles.Data("nb201/nb201_latency_ms.csv");

    public void Dispose() => _folder.Dispose();

    private SearchDefinition Define(string space, string extra = "", DatasetShape? shape = null) =>
        SearchDefinition.From(SpecReader.ReadFile(_folder.Write(SpecFolder.Minimal(space, extra))), shape ?? new DatasetShape(64, 10));

    [Fact]
    public void Builds_each_space_type()
    {
        Assert.IsType<MlpSpace>(Define("space: {type: mlp}").Space);
        Assert.True(Assert.IsType<Nb201Space>(Define("space: {type: nb201, merge_isomorphic: true}").Space).MergeIsomorphic);
        var cnn = Assert.IsType<CnnSpace>(Define("space: {type: cnn, stages: 4}").Space);
        Assert.Equal(8, cnn.Options.Resolution);
        Assert.Equal(4, cnn.Stages);
        Assert.Throws<ArgumentException>(() => Define("space: {type: cnn}", shape: new DatasetShape(60, 10)));
    }

    [Fact]
    public void Hyperparameters_join_the_architecture_space()
    {
        var joint = Assert.IsType<JointSpace>(Define("space: {type: nb201}",
            "hyperparameters: {learning_rate: {low: 0.001, high: 0.1}, batch_size: [32, 64]}").Space);
        Assert.IsType<Nb201Space>(joint.Inner);
        Assert.Equal(["lr", "batch_size"], joint.Hyperparameters.Select(h => h.Name));
    }

    [Fact]
    public void Soft_limits_lower_the_score_by_the_relative_overshoot()
    {
        var definition = Define("space: {type: nb201}", "constraints: {params: {max: 100000, mode: soft, weight: 2}}");
        var space = (Nb201Space)definition.Space;
        var small = space.Parse("|none~0|+|none~0|none~1|+|none~0|none~1|skip_connect~2|");
        var big = space.Parse("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|skip_connect~2|");
        var metrics = new TrialMetrics(0.9, 0.3, 0, 1);
        Assert.Equal(0.9, definition.Score(small, metrics));
        var overshoot = (space.ParameterCount(big) - 100_000) / 100_000.0;
        Assert.Equal(0.9 - 2 * overshoot, definition.Score(big, metrics), 12);
        Assert.True(definition.Constraints.IsFeasible(big));
    }

    [Fact]
    public void Hard_latency_limit_is_never_proposed_past()
    {
        const double limitMs = 9.0;
        var definition = Define("space: {type: nb201}", $"constraints: {{latency: {{max: {limitMs}, device: pixel3, latency_table: {LatencyTable}}}}}");
        var strategy = definition.CreateStrategy();
        var costs = definition.Constraints.Costs;
        var latency = definition.Spec.Constraints.Limits[0].Latency;
        for (var id = 1; id <= 40; id++)
            Assert.True(costs.Measure(strategy.Ask(id)!.Genotype, "latency", latency) <= limitMs);
    }

    [Fact]
    public void Cost_objectives_are_measured_from_the_genotype()
    {
        var definition = Define("space: {type: nb201}", "objective: {metric: flops}");
        var g = ((Nb201Space)definition.Space).Parse("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|skip_connect~2|");
        Assert.Equal(-(double)definition.Space.FlopCount(g)!, definition.Score(g, new TrialMetrics(0.5, 1, 0, 1)));
    }

    [Fact]
    public void Hypervolume_of_two_objectives_counts_the_union_of_dominated_rectangles()
    {
        var definition = Define("space: {type: mlp}",
            "objectives: [{metric: val_accuracy, direction: maximise}, {metric: val_loss, direction: minimise}]");
        var genotype = definition.Space.Sample(new NasActors.Core.Randomness.SeededRandom(1));
        // Scores (acc, −loss): (0.9, −0.5) and (0.8, −0.3); reference (0.79, −0.52) by the 10 % margin.
        // Rectangles 0.11·0.02 + 0.01·0.22 − overlap 0.01·0.02 = 0.0042.
        var hypervolume = definition.Hypervolume([(genotype, new TrialMetrics(0.9, 0.5, 10, 1)), (genotype, new TrialMetrics(0.8, 0.3, 10, 1))]);
        Assert.NotNull(hypervolume);
        Assert.Equal(0.0042, hypervolume!.Value, 6);
        // The reference point is reported in the objectives' own units: the loss's is 0.52, not −0.52.
        Assert.Equal([("val_accuracy", true, 0.79), ("val_loss", false, 0.52)],
            hypervolume.Reference.Select(r => (r.Metric, r.Maximise, Math.Round(r.Value, 12))));
        Assert.Equal("0.0042 (reference point: val_accuracy 0.79 max, val_loss 0.52 min)", hypervolume.Describe());
        Assert.Null(Define("space: {type: mlp}").Hypervolume([(genotype, new TrialMetrics(0.9, 0.5, 10, 1))]));
    }
}
