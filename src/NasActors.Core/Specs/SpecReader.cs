using System.Text.RegularExpressions;
using NasActors.Core.Strategies;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NasActors.Core.Specs;

/// <summary>
/// Reads and validates a YAML search spec. Every mistake becomes a <see cref="SpecException"/>
/// naming the file, line and field; relative paths resolve against the spec file's folder.
/// </summary>
public static partial class SpecReader
{
    public static readonly string[] Activations = ["relu", "gelu", "tanh", "sigmoid", "silu"];
    public static readonly string[] Metrics = ["val_accuracy", "val_loss", "params", "seconds"];

    public static SearchSpec ReadFile(string path)
    {
        if (!File.Exists(path)) throw new SpecException($"spec file '{path}' does not exist");
        var fullPath = Path.GetFullPath(path);
        return Read(File.ReadAllText(fullPath), fullPath);
    }

    public static SearchSpec Read(string yaml, string specPath)
    {
        var root = Parse(yaml, specPath);
        root.AllowOnly("name", "seed", "space", "dataset", "training", "strategy", "objective", "constraints", "budget", "execution");
        var name = root.String("name");
        if (!NamePattern().IsMatch(name))
            throw root.Error(null, "name", $"'{name}' must be 1-40 characters of a-z, 0-9, '-' or '_', starting with a letter or digit");
        var folder = Path.GetDirectoryName(specPath) ?? ".";
        return new SearchSpec(
            name,
            root.OptionalLong("seed", 0) ?? 0,
            ReadSpace(root.Mapping("space")),
            ReadDataset(root.Mapping("dataset"), folder),
            ReadTraining(root.Mapping("training", required: false)),
            ReadStrategy(root.Mapping("strategy")),
            ReadBudget(root.Mapping("budget")),
            ReadExecution(root.Mapping("execution", required: false)),
            ReadObjective(root.Mapping("objective", required: false)),
            ReadConstraints(root.Mapping("constraints", required: false)));
    }

    private static YamlField Parse(string yaml, string specPath)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new SpecException($"{specPath}:{e.Start.Line}: malformed YAML: {e.InnerException?.Message ?? e.Message}");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode map)
            throw new SpecException($"{specPath}: expected a mapping of top-level keys (name, space, dataset, strategy, budget, ...)");
        return new YamlField(specPath, "", map);
    }

    private static MlpSpaceSpec ReadSpace(YamlField space)
    {
        space.AllowOnly("type", "depth", "widths", "activations", "dropout", "learning_rate");
        var type = space.Choice("type", ["mlp"]);
        var lr = space.Mapping("learning_rate", required: false);
        lr.AllowOnly("low", "high");
        var low = lr.Double("low", 3e-4, 1e-7, 10);
        var high = lr.Double("high", 3e-2, 1e-7, 10);
        if (high < low) throw lr.Error(null, "high", $"must be at least low ({low})");
        return new MlpSpaceSpec(
            type,
            space.IntList("depth", [1, 2, 3, 4], 1, 16),
            space.IntList("widths", [16, 32, 64, 128, 256], 1, 65_536),
            space.ChoiceList("activations", ["relu", "gelu", "tanh"], Activations),
            space.DoubleList("dropout", [0.0, 0.1, 0.3], 0, 0.95),
            low, high);
    }

    private static DatasetSpec ReadDataset(YamlField dataset, string folder)
    {
        dataset.AllowOnly("path", "label", "validation_fraction");
        var relative = dataset.String("path");
        var full = Path.GetFullPath(Path.Combine(folder, relative));
        if (!File.Exists(full))
            throw dataset.Error(null, "path", $"dataset file '{full}' does not exist (copy it there, or fix the path; relative paths are resolved against the spec's folder)");
        var label = dataset.String("label", "last");
        if (label is not ("first" or "last") && !int.TryParse(label, out _))
            throw dataset.Error(null, "label", $"'{label}' must be 'first', 'last' or a column index");
        return new DatasetSpec(full, label, dataset.Double("validation_fraction", 0.2, 0.01, 0.9));
    }

    private static TrainingSpec ReadTraining(YamlField training)
    {
        training.AllowOnly("epochs", "batch_size");
        return new TrainingSpec(training.Int("epochs", 10, 1, 10_000), training.Int("batch_size", 64, 1, 65_536));
    }

    private static StrategySpec ReadStrategy(YamlField strategy)
    {
        var name = strategy.Choice("name", StrategyRegistry.Names);
        StrategyRegistry.TryGet(name, out var registration);
        strategy.AllowOnly(["name", .. registration.Parameters.Select(p => p.Name)]);
        var parameters = registration.Parameters.ToDictionary(
            p => p.Name,
            p => p.Integer
                ? strategy.Int(p.Name, (int)p.Default, (int)p.Min, (int)p.Max)
                : strategy.Double(p.Name, p.Default, p.Min, p.Max));
        return new StrategySpec(name, parameters);
    }

    private static BudgetSpec ReadBudget(YamlField budget)
    {
        budget.AllowOnly("trials", "max_failures");
        var trials = budget.Int("trials", null, 1, 1_000_000);
        return new BudgetSpec(trials, budget.Int("max_failures", Math.Max(10, trials / 4), 0, 1_000_000));
    }

    private static ExecutionSpec ReadExecution(YamlField execution)
    {
        execution.AllowOnly("trainers", "threads_per_trainer", "lease_seconds", "snapshot_every");
        return new ExecutionSpec(
            execution.Int("trainers", 2, 1, 1024),
            execution.Int("threads_per_trainer", 1, 1, 256),
            execution.Double("lease_seconds", 30, 1, 86_400),
            execution.Int("snapshot_every", 100, 1, 1_000_000));
    }

    private static ObjectiveSpec ReadObjective(YamlField objective)
    {
        objective.AllowOnly("metric", "direction");
        var metric = objective.Choice("metric", Metrics, "val_accuracy");
        var direction = objective.Choice("direction", ["maximise", "minimise"], metric is "val_accuracy" ? "maximise" : "minimise");
        return new ObjectiveSpec(metric, direction == "maximise");
    }

    private static ConstraintSpec ReadConstraints(YamlField constraints)
    {
        constraints.AllowOnly("max_params");
        return new ConstraintSpec(constraints.OptionalLong("max_params", 1));
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,39}$")]
    private static partial Regex NamePattern();
}
