using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using NasActors.Core.Strategies.MultiObjective;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies.Tpe;

/// <summary>
/// Multi-objective search by random scalarisation, ParEGO-style (Knowles 2006): for every proposal a weight
/// vector λ is drawn uniformly from the simplex (from the search's seed), each finished trial's objectives are
/// normalised to [0, 1] over all finished trials (0 the best seen) and collapsed by the augmented Chebyshev
/// function max_j λ_j·f_j + 0.05·Σ_j λ_j·f_j, and <see cref="TpeSearch"/> proposes for that scalar (ParEGO fits a
/// GP; here the single-objective model is TPE's). Over many proposals the weights sweep the whole Pareto front.
/// A soft-constraint penalty (<see cref="Constraints.ConstraintChecker.Penalty"/>, relative overshoot) is added
/// to the scalarised cost. Objectives as for <see cref="Nsga2"/>: the spec's when it lists two or more, else
/// accuracy up and parameters down.
/// </summary>
public sealed class RandomScalarisationSearch(StrategyContext context, TpeOptions options) : TpeSearch(context, options)
{
    public new const string Name = "parego";
    private const double Augmentation = 0.05;

    public IReadOnlyList<ObjectiveSpec> Objectives { get; } =
        context.Objectives.Count >= 2 ? context.Objectives : Nsga2Options.DefaultObjectives;

    protected override double[] Measure(Genotype genotype, TrialMetrics metrics) =>
        Objectives.Select(o => o.Score(o.Measure(genotype, metrics, Context.Constraints.Costs))).ToArray();

    protected override double[] RankValues(IReadOnlyList<Observation> finished)
    {
        var m = Objectives.Count;
        var lambda = Enumerable.Range(0, m).Select(_ => -Math.Log(1 - Random.NextDouble())).ToArray();
        var sum = lambda.Sum();
        for (var j = 0; j < m; j++) lambda[j] /= sum;
        var best = Enumerable.Range(0, m).Select(j => finished.Max(o => o.Scores[j])).ToArray();
        var worst = Enumerable.Range(0, m).Select(j => finished.Min(o => o.Scores[j])).ToArray();
        return finished.Select(o =>
        {
            var f = Enumerable.Range(0, m).Select(j => best[j] > worst[j] ? (best[j] - o.Scores[j]) / (best[j] - worst[j]) : 0).ToArray();
            var weighted = f.Select((v, j) => lambda[j] * v).ToArray();
            return -(weighted.Max() + Augmentation * weighted.Sum() + Context.Constraints.Penalty(o.Genotype));
        }).ToArray();
    }
}
