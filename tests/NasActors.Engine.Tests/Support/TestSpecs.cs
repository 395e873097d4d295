using NasActors.Core.Specs;
using NasActors.Engine.Searches;

namespace NasActors.Engine.Tests.Support;

/// <summary>Small MLP searches built in code, so Engine tests need no files.</summary>
public static class TestSpecs
{
    public static SearchSpec Mlp(int trials, string strategy = "random", int maxFailures = 5, double leaseSeconds = 30, int snapshotEvery = 1000) =>
        new("test", 7,
            new MlpSpaceSpec("mlp", [1, 2, 3], [8, 16, 32], ["relu", "tanh"], [0.0, 0.1], 1e-3, 1e-2),
            new DatasetSpec("/nonexistent/data.csv", "last", 0.2),
            new TrainingSpec(2, 16),
            new StrategySpec(strategy, strategy == "evolution" ? new Dictionary<string, double> { ["population"] = 4, ["sample"] = 2 } : new Dictionary<string, double>()),
            new BudgetSpec(trials, maxFailures),
            new ExecutionSpec(2, 1, leaseSeconds, snapshotEvery),
            new ObjectiveSpec("val_accuracy", true),
            new ConstraintSpec(null));

    public static SearchSpecData Data(SearchSpec spec) => new(SearchSpecJson.Serialize(spec), Features: 4, Classes: 3);
}
