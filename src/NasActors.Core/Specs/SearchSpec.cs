namespace NasActors.Core.Specs;

/// <summary>
/// A validated search description, as read from a YAML spec. Paths are absolute (resolved
/// against the spec file's folder). Stored in the journal as JSON when a search starts.
/// </summary>
public sealed record SearchSpec(
    string Name,
    long Seed,
    MlpSpaceSpec Space,
    DatasetSpec Dataset,
    TrainingSpec Training,
    StrategySpec Strategy,
    BudgetSpec Budget,
    ExecutionSpec Execution,
    ObjectiveSpec Objective,
    ConstraintSpec Constraints);

public sealed record MlpSpaceSpec(
    string Type,
    IReadOnlyList<int> Depths,
    IReadOnlyList<int> Widths,
    IReadOnlyList<string> Activations,
    IReadOnlyList<double> Dropouts,
    double LearningRateLow,
    double LearningRateHigh);

public sealed record DatasetSpec(string Path, string LabelColumn, double ValidationFraction);

public sealed record TrainingSpec(int Epochs, int BatchSize);

/// <summary>Strategy name plus its parameters, already checked against the strategy's declared parameters.</summary>
public sealed record StrategySpec(string Name, IReadOnlyDictionary<string, double> Parameters)
{
    public int Int(string key) => (int)Parameters[key];
    public double Double(string key) => Parameters[key];
}

public sealed record BudgetSpec(int Trials, int MaxFailures);

public sealed record ExecutionSpec(int Trainers, int ThreadsPerTrainer, double LeaseSeconds, int SnapshotEvery);

/// <summary>The metric to optimise; strategies always maximise <c>sign × metric</c>.</summary>
public sealed record ObjectiveSpec(string Metric, bool Maximise)
{
    public double Score(double metric) => Maximise ? metric : -metric;
}

public sealed record ConstraintSpec(long? MaxParameters);

/// <summary>The JSON form of a spec stored in a search's journal.</summary>
public static class SearchSpecJson
{
    public static string Serialize(SearchSpec spec) => System.Text.Json.JsonSerializer.Serialize(spec);

    public static SearchSpec Deserialize(string json) =>
        System.Text.Json.JsonSerializer.Deserialize<SearchSpec>(json) ?? throw new InvalidOperationException("stored spec is empty");
}
