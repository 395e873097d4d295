using NasActors.Core.Constraints;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Specs;

/// <summary>
/// A validated search description, as read from a YAML spec. Paths are absolute (resolved
/// against the spec file's folder). Stored in the journal as JSON when a search starts.
/// <see cref="Objective"/> is the primary objective (the one strategies maximise);
/// <see cref="Objectives"/> lists it first, then any further ones of a multi-objective search.
/// </summary>
public sealed record SearchSpec(
    string Name,
    long Seed,
    SpaceSpec Space,
    DatasetSpec Dataset,
    TrainingSpec Training,
    StrategySpec Strategy,
    BudgetSpec Budget,
    ExecutionSpec Execution,
    ObjectiveSpec Objective,
    ConstraintSpec Constraints)
{
    private readonly IReadOnlyList<ObjectiveSpec>? _objectives;

    public IReadOnlyList<ObjectiveSpec> Objectives
    {
        get => _objectives ?? [Objective];
        init => _objectives = value;
    }

    /// <summary>Training hyperparameters searched jointly with the architecture; null when none are.</summary>
    public HyperparameterSpec? Hyperparameters { get; init; }

    /// <summary>A curriculum plan: stages run in order with promotions between them; null: one plain search.</summary>
    public IReadOnlyList<StageSpec>? Stages { get; init; }

    // Left out of the JSON when absent, so a spec without them serializes (and is identified) as before they existed.

    /// <summary>Results known before the search, for the strategy to learn from first; null when none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public WarmStartSpec? WarmStart { get; init; }

    /// <summary>Canonical architectures the first trials train, in order, before the strategy's own; null when none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Enqueue { get; init; }
}

/// <summary>
/// The <c>dataset:</c> block. <see cref="Format"/> is <c>csv</c> (one row per example) or <c>idx</c>
/// (MNIST-style image and label files; <see cref="Path"/> is the images file). <see cref="Image"/>
/// says how flat rows are images (IDX files carry their own shape); <see cref="MaxExamples"/> keeps
/// only the first rows, for small budgets.
/// </summary>
public sealed record DatasetSpec(string Path, string LabelColumn, double ValidationFraction)
{
    public string Format { get; init; } = "csv";
    public string? LabelsPath { get; init; }
    public NasActors.Core.Data.ImageShape? Image { get; init; }
    public int? MaxExamples { get; init; }

    /// <summary>
    /// SHA-256 of the data file(s) when the search started (<c>sha256:hex</c>), so a changed file is
    /// noticed instead of mixed in. Null in specs stored before it existed; omitted from JSON when null
    /// so those specs serialize (and hash) as they always did.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Fingerprint { get; init; }

    /// <summary><c>dataset.missing</c>: null or "error" refuses missing cells; "impute_mean" fills them with the column mean.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Missing { get; init; }
}

public sealed record TrainingSpec(int Epochs, int BatchSize);

/// <summary>
/// Strategy name plus its numeric parameters and named options (<c>controller: lstm</c>), already checked
/// against what the strategy declares. Journals written before options existed read back with none.
/// </summary>
public sealed record StrategySpec(string Name, IReadOnlyDictionary<string, double> Parameters)
{
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    public int Int(string key) => (int)Parameters[key];
    public double Double(string key) => Parameters[key];
    public string Text(string key) => Options[key];
}

public sealed record BudgetSpec(int Trials, int MaxFailures)
{
    // Left out of the JSON when off/absent, so a spec without them serializes (and is identified) as before they existed.

    /// <summary>
    /// <c>budget.cache</c>: a proposal equal (or equivalent, <see cref="Spaces.SearchSpace.EquivalenceKey"/>) to a trial already
    /// completed at the same fidelity is answered from the ledger instead of trained, and <see cref="Trials"/> counts distinct evaluations.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Cache { get; init; }

    /// <summary>
    /// <c>budget.max_cached</c>: answers the cache gives at most (default: <see cref="Trials"/>); past it a repeated genotype is
    /// trained like any trial, so a strategy that only proposes known genotypes still ends with its budget.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxCached { get; init; }

    /// <summary>The cap on cached answers: 0 when the cache is off.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int CacheCap => Cache ? MaxCached ?? Trials : 0;
}

public sealed record ExecutionSpec(int Trainers, int ThreadsPerTrainer, double LeaseSeconds, int SnapshotEvery)
{
    /// <summary>
    /// Run the strategy as entities of its own (islands and members, an RL controller, MANAS agents)
    /// instead of inside the search coordinator. Init-only so stored specs without it still read.
    /// </summary>
    public bool Entities { get; init; }

    /// <summary>Proposals each entity keeps ahead of the trainers (K children in flight per island); 0: one per trainer.</summary>
    public int InFlight { get; init; }

    public int ProposalsAhead => InFlight > 0 ? InFlight : Trainers;

    /// <summary>
    /// Attempts of a trial that may end without a result (lease expired, reclaimed at start-up, revoked as hung)
    /// before it is quarantined as a poison trial and failed instead of re-queued.
    /// </summary>
    public int MaxAttempts { get; init; } = DefaultMaxAttempts;

    /// <summary>Seconds a leased trial may go without progress (a finished batch) before its lease is revoked; 0: off.</summary>
    public double TrialTimeoutSeconds { get; init; }

    /// <summary>
    /// This search's weight in the trainers' fair share across the searches a cluster runs (<c>execution.priority</c>,
    /// ≥ 1): a search of priority 2 gets about twice the trials per second of a search of priority 1. Default 1.
    /// </summary>
    public int Priority { get; init; } = 1;

    /// <summary>
    /// <c>execution.lease_ahead</c>: trials a trainer holds queued behind the one it trains, so the next starts the moment one ends
    /// and short trials share one report and one journal write. Null: <c>auto</c> (from the observed trial duration; see
    /// <c>LeaseAhead</c> in the engine); 0: none. Stored specs from before it read null.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? LeaseAhead { get; init; }

    /// <summary>The most trials <c>execution.lease_ahead</c> may queue behind a running one.</summary>
    public const int MaxLeaseAhead = 32;

    public const int DefaultMaxAttempts = 3;
}

/// <summary>
/// A metric to optimise; strategies always maximise <c>sign × metric</c>. The metrics
/// <c>params</c>, <c>flops</c> and <c>latency</c> come from the space's cost model (latency from
/// <see cref="Latency"/>), the others from what the evaluator measured.
/// </summary>
public sealed record ObjectiveSpec(string Metric, bool Maximise)
{
    public LatencySource? Latency { get; init; }

    public double Score(double metric) => Maximise ? metric : -metric;

    /// <summary>The raw metric for a trial: a cost from <paramref name="costs"/>, or what the evaluator measured.</summary>
    public double Measure(Genotype genotype, TrialMetrics metrics, CostModel costs) =>
        Constraints.CostQuantities.All.Contains(Metric) ? costs.Measure(genotype, Metric, Latency) : metrics.Get(Metric);
}

/// <summary>The JSON form of a spec stored in a search's journal.</summary>
public static class SearchSpecJson
{
    public static string Serialize(SearchSpec spec) => System.Text.Json.JsonSerializer.Serialize(spec);

    public static SearchSpec Deserialize(string json) =>
        System.Text.Json.JsonSerializer.Deserialize<SearchSpec>(json) ?? throw new InvalidOperationException("stored spec is empty");
}
