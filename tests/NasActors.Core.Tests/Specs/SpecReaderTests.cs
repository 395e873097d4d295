using NasActors.Core.Specs;

namespace NasActors.Core.Tests.Specs;

public sealed class SpecReaderTests : IDisposable
{
    private readonly SpecFolder _folder = new();
    private static readonly string LatencyTable = RepoFiles.Data("nb201/nb201_latency_ms.csv");

    public void Dispose() => _folder.Dispose();

    private SearchSpec Read(string yaml) => SpecReader.ReadFile(_folder.Write(yaml));

    private SpecException Fails(string yaml) => Assert.Throws<SpecException>(() => Read(yaml));

    [Fact]
    public void Minimal_spec_gets_defaults()
    {
        var spec = Read(SpecFolder.Minimal());
        var space = Assert.IsType<MlpSpaceSpec>(spec.Space);
        Assert.Equal([1, 2, 3, 4], space.Depths);
        Assert.Equal(new ObjectiveSpec("val_accuracy", true), spec.Objective);
        Assert.Equal([spec.Objective], spec.Objectives);
        Assert.Empty(spec.Constraints.AllLimits);
        Assert.Null(spec.Hyperparameters);
    }

    [Fact]
    public void Missing_file_is_named()
    {
        var missing = Path.Combine(_folder.Path, "nope.yaml");
        var e = Assert.Throws<SpecException>(() => SpecReader.ReadFile(missing));
        Assert.Contains(missing, e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void Malformed_yaml_names_file_and_line()
    {
        Assert.Matches(@"spec\.yaml:2: malformed YAML: .+", Fails("name: test\nspace: a: b\n").Message);
        Assert.Contains("spec.yaml: malformed YAML: the file ends inside an unclosed", Fails("name: test\nspace: {type: mlp\nbudget: [\n").Message);
    }

    [Fact]
    public void Unknown_strategy_lists_the_known_ones()
    {
        var e = Fails(SpecFolder.Minimal().Replace("name: random", "name: annealing"));
        Assert.Contains("spec.yaml:5: 'strategy.name': 'annealing' is not one of:", e.Message);
        Assert.Contains("evolution", e.Message);
        Assert.Contains("random", e.Message);
    }

    [Fact]
    public void Out_of_range_value_names_field_line_and_range()
    {
        var e = Fails(SpecFolder.Minimal(extra: "training: {epochs: 0}"));
        Assert.Contains("spec.yaml:7: 'training.epochs': 0 is out of range; expected [1, 10000]", e.Message);
    }

    [Fact]
    public void Out_of_range_strategy_parameter_is_reported()
    {
        var e = Fails(SpecFolder.Minimal().Replace("name: random", "name: evolution, population: 1"));
        Assert.Contains("'strategy.population': 1 is out of range; expected [2, 10000]", e.Message);
    }

    [Fact]
    public void Missing_dataset_file_names_the_resolved_path()
    {
        var e = Fails(SpecFolder.Minimal().Replace("path: data.csv", "path: missing.csv"));
        Assert.Contains("spec.yaml:4: 'dataset.path': dataset file", e.Message);
        Assert.Contains(Path.Combine(_folder.Path, "missing.csv"), e.Message);
    }

    [Fact]
    public void Unknown_key_lists_the_allowed_keys()
    {
        var e = Fails(SpecFolder.Minimal(space: "space: {type: nb201, ops: 3}"));
        Assert.Contains("spec.yaml:3: 'space.ops': unknown key; allowed: type, merge_isomorphic", e.Message);
    }

    [Fact]
    public void Unknown_space_type_lists_the_types()
    {
        var e = Fails(SpecFolder.Minimal(space: "space: {type: transformer}"));
        Assert.Contains("'space.type': 'transformer' is not one of: mlp, nb201, cnn", e.Message);
    }

    [Fact]
    public void Reads_nb201_and_cnn_spaces()
    {
        var nb201 = Assert.IsType<Nb201SpaceSpec>(Read(SpecFolder.Minimal(space: "space: {type: nb201, merge_isomorphic: true}")).Space);
        Assert.True(nb201.MergeIsomorphic);
        var cnn = Assert.IsType<CnnSpaceSpec>(Read(SpecFolder.Minimal(space: "space: {type: cnn, stages: 3, kernels: [3, 5, 7], resolution: 2, channels: 1}")).Space);
        Assert.Equal(3, cnn.Stages);
        Assert.Equal([3, 5, 7], cnn.Kernels);
        Assert.Contains("kernel sizes must be odd", Fails(SpecFolder.Minimal(space: "space: {type: cnn, kernels: [3, 4]}")).Message);
        Assert.Contains("expected true or false, got 'yes'", Fails(SpecFolder.Minimal(space: "space: {type: nb201, merge_isomorphic: yes}")).Message);
    }

    [Fact]
    public void Reads_a_hyperparameter_block()
    {
        var spec = Read(SpecFolder.Minimal(space: "space: {type: nb201}",
            extra: "hyperparameters: {learning_rate: {low: 0.001, high: 0.1}, weight_decay: {low: 1e-5, high: 1e-3}, batch_size: [32, 64], epochs: [12, 200]}"));
        Assert.Equal(new LogRange(0.001, 0.1), spec.Hyperparameters!.LearningRate);
        Assert.Equal([32, 64], spec.Hyperparameters.BatchSizes);
        var e = Fails(SpecFolder.Minimal(extra: "hyperparameters: {learning_rate: {low: 0.001, high: 0.1}}"));
        Assert.Contains("'hyperparameters.learning_rate': the mlp space already searches the learning rate", e.Message);
        Assert.Contains("must be at least low", Fails(SpecFolder.Minimal(extra: "hyperparameters: {weight_decay: {low: 0.1, high: 0.01}}")).Message);
    }

    [Fact]
    public void Objectives_list_keeps_the_first_as_primary()
    {
        var spec = Read(SpecFolder.Minimal(space: "space: {type: nb201}", extra: $"""
            objectives:
              - {"{"}metric: val_accuracy{"}"}
              - {"{"}metric: latency, device: pixel3, latency_table: {LatencyTable}{"}"}
              - {"{"}metric: params{"}"}
            """));
        Assert.Equal(3, spec.Objectives.Count);
        Assert.Equal(spec.Objectives[0], spec.Objective);
        Assert.False(spec.Objectives[1].Maximise);
        Assert.Equal("pixel3", spec.Objectives[1].Latency!.Device);
        Assert.EndsWith("nb201_accuracy.csv", spec.Objectives[1].Latency!.ArchTable);
    }

    [Fact]
    public void Objective_and_objectives_together_are_an_error()
    {
        var e = Fails(SpecFolder.Minimal(extra: "objective: {metric: val_loss}\nobjectives: [{metric: params}]"));
        Assert.Contains("'objectives': give either 'objective' (one metric) or 'objectives' (a list), not both", e.Message);
        Assert.Contains("metric 'params' is listed twice", Fails(SpecFolder.Minimal(extra: "objectives: [{metric: params}, {metric: params}]")).Message);
    }

    [Fact]
    public void Reads_hard_and_soft_constraints()
    {
        var spec = Read(SpecFolder.Minimal(space: "space: {type: nb201}", extra: $$"""
            constraints:
              params: {max: 500000}
              flops: {max: 5e7, mode: soft, weight: 2}
              latency: {max: 10, device: titanx_32, latency_table: {{LatencyTable}}, mode: hard}
            """));
        var limits = spec.Constraints.Limits;
        Assert.Equal(3, limits.Count);
        Assert.Contains(limits, l => l is { Quantity: "params", Hard: true, Max: 500_000 });
        Assert.Contains(limits, l => l is { Quantity: "flops", Hard: false, Weight: 2, Max: 5e7 });
        Assert.Equal("titanx_32", limits.Single(l => l.Quantity == "latency").Latency!.Device);
    }

    [Fact]
    public void Legacy_max_params_is_a_hard_params_limit()
    {
        var spec = Read(SpecFolder.Minimal(extra: "constraints: {max_params: 1000}"));
        Assert.Equal(1000, spec.Constraints.MaxParameters);
        Assert.Equal([new LimitSpec("params", 1000, Hard: true)], spec.Constraints.AllLimits);
        Assert.Contains("give either 'max_params' or 'params'", Fails(SpecFolder.Minimal(extra: "constraints: {max_params: 1000, params: {max: 5}}")).Message);
    }

    [Fact]
    public void Bad_constraints_say_what_is_allowed()
    {
        Assert.Contains("'constraints.flops.mode': 'maybe' is not one of: hard, soft",
            Fails(SpecFolder.Minimal(extra: "constraints: {flops: {max: 1, mode: maybe}}")).Message);
        Assert.Contains("'constraints.params.weight': only a soft limit has a penalty weight",
            Fails(SpecFolder.Minimal(extra: "constraints: {params: {max: 1, weight: 3}}")).Message);
        Assert.Contains("'constraints.latency.device': latency is measured for NAS-Bench-201 cells only",
            Fails(SpecFolder.Minimal(extra: $"constraints: {{latency: {{max: 1, device: pixel3, latency_table: {LatencyTable}}}}}")).Message);
        var device = Fails(SpecFolder.Minimal(space: "space: {type: nb201}", extra: $"constraints: {{latency: {{max: 1, device: pixel9, latency_table: {LatencyTable}}}}}"));
        Assert.Contains("'constraints.latency.device': 'pixel9' is not one of: 1080ti_1", device.Message);
        var table = Fails(SpecFolder.Minimal(space: "space: {type: nb201}", extra: "constraints: {latency: {max: 1, device: pixel3, latency_table: lat.csv}}"));
        Assert.Contains("'constraints.latency.latency_table': latency table", table.Message);
        Assert.Contains(Path.Combine(_folder.Path, "lat.csv"), table.Message);
    }

    [Fact]
    public void Spec_round_trips_through_its_journal_json()
    {
        var spec = Read(SpecFolder.Minimal(space: "space: {type: nb201, merge_isomorphic: true}", extra: $$"""
            hyperparameters: {weight_decay: {low: 1e-5, high: 1e-3}, epochs: [12, 200]}
            objectives:
              - metric: val_accuracy
              - metric: latency
                device: pixel3
                latency_table: {{LatencyTable}}
            constraints:
              flops: {max: 5e7, mode: soft}
            """));
        var back = SearchSpecJson.Deserialize(SearchSpecJson.Serialize(spec));
        Assert.Equal(spec.Space, back.Space);
        Assert.Equal(spec.Objectives, back.Objectives);
        Assert.Equal(spec.Constraints.Limits, back.Constraints.Limits);
        Assert.Equal(spec.Hyperparameters!.WeightDecay, back.Hyperparameters!.WeightDecay);
        Assert.Equal(spec.Hyperparameters.Epochs, back.Hyperparameters.Epochs);
        Assert.Equal(SearchSpecJson.Serialize(spec), SearchSpecJson.Serialize(back));
    }
}
