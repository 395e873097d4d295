using NasActors.Core.Constraints;
using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies;

/// <summary>
/// Everything a strategy is built with: the space, the default fidelity, the seed, the hard and
/// soft limits (<see cref="Constraints"/>) and the objectives (the first is the primary one, whose
/// penalised score arrives as <see cref="TrialSucceeded.Objective"/>).
/// <see cref="MaxParameters"/> is a shorthand hard limit kept for tests and callers that predate constraints.
/// </summary>
public sealed record StrategyContext(SearchSpace Space, Fidelity Fidelity, long Seed, long? MaxParameters = null)
{
    private readonly ConstraintChecker? _constraints;

    public ConstraintChecker Constraints
    {
        get => _constraints ?? ConstraintChecker.None(Space);
        init => _constraints = value;
    }

    public IReadOnlyList<ObjectiveSpec> Objectives { get; init; } = [new("val_accuracy", true)];

    public bool IsFeasible(Genotype genotype) =>
        (MaxParameters is null || Space.ParameterCount(genotype) <= MaxParameters) && Constraints.IsFeasible(genotype);

    /// <summary>Every objective's score (higher is better) for a finished trial, for multi-objective strategies.</summary>
    public double[] Scores(Genotype genotype, TrialMetrics metrics) =>
        Objectives.Select(o => o.Score(o.Measure(genotype, metrics, Constraints.Costs))).ToArray();
}
