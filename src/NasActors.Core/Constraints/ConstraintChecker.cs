using NasActors.Core.Spaces;
using NasActors.Core.Specs;

namespace NasActors.Core.Constraints;

/// <summary>
/// Applies a spec's limits to genotypes. Hard limits decide feasibility: strategies never propose
/// an infeasible genotype. Soft limits only penalise: a genotype whose cost v exceeds a soft limit
/// m loses <c>weight × (v − m) / m</c> from its (maximised) objective — the relative overshoot,
/// so 10% over a limit with weight 1 costs 0.1 in objective units, whatever the cost's unit.
/// </summary>
public sealed class ConstraintChecker(CostModel costs, IReadOnlyList<LimitSpec> limits)
{
    public static ConstraintChecker None(SearchSpace space) => new(new CostModel(space), []);

    public IReadOnlyList<LimitSpec> Limits => limits;
    public CostModel Costs => costs;

    public bool IsFeasible(Genotype genotype) =>
        limits.All(l => !l.Hard || costs.Measure(genotype, l.Quantity, l.Latency) <= l.Max);

    public double Penalty(Genotype genotype) =>
        limits.Where(l => !l.Hard).Sum(l => l.Weight * Math.Max(0, costs.Measure(genotype, l.Quantity, l.Latency) - l.Max) / l.Max);
}
