using NasActors.Core.Constraints;
using NasActors.Core.Data;
using NasActors.Core.Spaces;
using NasActors.Core.Strategies;
using NasActors.Core.Trials;

namespace NasActors.Core.Specs;

/// <summary>
/// Turns a spec into the live objects of a search: its space (sized from the dataset, joined with
/// any searched hyperparameters), its constraints and its strategy. The coordinator builds this on
/// start and again on every recovery.
/// </summary>
public sealed partial record SearchDefinition(SearchSpec Spec, SearchSpace Space, DatasetShape Shape)
{
    public ConstraintChecker Constraints { get; } = new(new CostModel(Space), Spec.Constraints.AllLimits);

    public static SearchDefinition From(SearchSpec spec, DatasetShape shape)
    {
        var architecture = SpaceFactory.Create(spec.Space, shape);
        var space = spec.Hyperparameters is { IsEmpty: false } h
            ? new JointSpace(architecture, SpaceFactory.Hyperparameters(h))
            : architecture;
        return new SearchDefinition(spec, space, shape);
    }

    public static SearchDefinition Load(SearchSpec spec)
    {
        var (data, _) = DatasetLoader.Load(spec.Dataset);
        return From(spec, new DatasetShape(data.FeatureCount, data.Classes));
    }

    /// <summary>
    /// The primary objective's score for a finished trial (higher is better), less the soft-constraint
    /// penalty: the value to tell the strategy as <see cref="TrialSucceeded.Objective"/>.
    /// </summary>
    public double Score(Genotype genotype, TrialMetrics metrics) =>
        Spec.Objective.Score(Spec.Objective.Measure(genotype, metrics, Constraints.Costs)) - Constraints.Penalty(genotype);

    /// <summary>
    /// Hypervolume of the completed trials that break no soft limit, in objective space (every objective
    /// turned to larger-is-better), against <see cref="Strategies.MultiObjective.Hypervolume.DefaultReference"/>,
    /// with that reference point; null for a search with one objective (or more than three: no exact method is
    /// implemented for those) or with no such trial yet.
    /// </summary>
    public HypervolumeReport? Hypervolume(IEnumerable<(Genotype Genotype, TrialMetrics Metrics)> completed)
    {
        var objectives = Spec.Objectives;
        if (objectives.Count is < 2 or > 3) return null;
        var points = completed
            .Where(t => Constraints.Penalty(t.Genotype) <= 0)
            .Select(t => (IReadOnlyList<double>)objectives.Select(o => o.Score(o.Measure(t.Genotype, t.Metrics, Constraints.Costs))).ToArray())
            .ToList();
        return HypervolumeReport.Measure(objectives.Select(o => (o.Metric, o.Maximise)).ToArray(), points);
    }

    /// <summary>What the spec's strategy (and anything searching alongside it, e.g. SPOS's supernet phases) is given.</summary>
    public StrategyContext StrategyContext() => new(Space, new Fidelity(Spec.Training.Epochs), Spec.Seed)
    {
        Constraints = Constraints,
        Objectives = Spec.Objectives
    };

    /// <summary>The spec's strategy, run through its curriculum when the spec has stages.</summary>
    public ISearchStrategy CreateStrategy()
    {
        var strategy = StrategyRegistry.Create(Spec.Strategy, StrategyContext());
        return Spec.Stages is { Count: > 0 } stages ? new Strategies.Curriculum.CurriculumStrategy(strategy, Space, stages) : strategy;
    }
}

/// <summary>Inputs and classes of a dataset: what the space needs to count parameters.</summary>
public sealed record DatasetShape(int Features, int Classes);
