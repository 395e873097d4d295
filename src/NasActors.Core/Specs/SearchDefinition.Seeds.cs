using NasActors.Core.Spaces;
using NasActors.Core.Strategies;
using NasActors.Core.Trials;

namespace NasActors.Core.Specs;

/// <summary>What a search starts from besides its strategy: known results (<c>warm_start:</c>) and fixed first trials (<c>enqueue:</c>).</summary>
public sealed partial record SearchDefinition
{
    /// <summary>
    /// The spec's known results as outcomes to teach the strategy (ids -1, -2, ...), scored with this search's
    /// objective and soft-constraint penalty, worst first: a strategy that keeps only the latest N keeps the best.
    /// </summary>
    public IReadOnlyList<(TrialRequest Known, TrialSucceeded Outcome)> KnownOutcomes()
    {
        if (Spec.WarmStart is not { Known.Count: > 0 } warm) return [];
        var fidelity = new Fidelity(Spec.Training.Epochs);
        return warm.Known
            .Select((k, i) => (Genotype: CanonicalParser.Parse(Space, k.Architecture), k.Metrics, Id: -(i + 1)))
            .Select(k => (Known: new TrialRequest(k.Id, k.Genotype, fidelity, 0), Outcome: new TrialSucceeded(k.Id, k.Metrics, Score(k.Genotype, k.Metrics))))
            .OrderBy(k => k.Outcome.Objective).ThenByDescending(k => k.Known.TrialId)
            .ToArray();
    }

    /// <summary>The spec's enqueued architectures, in order.</summary>
    public IReadOnlyList<Genotype> Enqueued() => (Spec.Enqueue ?? []).Select(a => CanonicalParser.Parse(Space, a)).ToArray();

    /// <summary>
    /// Refuses seeds this search cannot use, before anything is stored: an architecture outside the space, a known
    /// result without the metrics the objective needs, a strategy that cannot learn from known results or take a
    /// fixed proposal.
    /// </summary>
    public void CheckSeeds()
    {
        var strategy = Spec.WarmStart is not null || Spec.Enqueue is { Count: > 0 } ? CreateStrategy() : null;
        if (Spec.WarmStart is { } warm)
        {
            if (strategy is not IWarmStartable)
                throw new SpecException($"warm_start: strategy '{Spec.Strategy.Name}'{(Spec.Stages is null ? "" : " in a curriculum")} cannot learn from earlier results " +
                                        "(tpe, parego, evolution, predictor and nsga2 can); remove warm_start");
            if (Spec.Execution.Entities)
                throw new SpecException("warm_start: a strategy run as entities (execution.entities) cannot be warm-started yet; remove one of them");
            for (var i = 0; i < warm.Known.Count; i++)
            {
                var known = warm.Known[i];
                Genotype genotype;
                try
                {
                    genotype = CanonicalParser.Parse(Space, known.Architecture);
                    Score(genotype, known.Metrics);
                }
                catch (Exception e) when (e is FormatException or ArgumentException or KeyNotFoundException)
                {
                    throw new SpecException($"warm_start: result {i + 1} of {warm.Source} ('{known.Architecture}') does not fit this search: {e.Message}");
                }
            }
        }
        if (Spec.Enqueue is not { Count: > 0 } enqueue) return;
        if (strategy is not IAcceptsFixedProposals || Spec.Execution.Entities)
            throw new SpecException($"enqueue: strategy '{Spec.Strategy.Name}'{(Spec.Execution.Entities ? " run as entities" : Spec.Stages is null ? "" : " in a curriculum")} cannot take fixed proposals; remove enqueue");
        foreach (var architecture in enqueue)
        {
            try
            {
                CanonicalParser.Parse(Space, architecture);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new SpecException($"enqueue: '{architecture}' is not an architecture of this search's space: {e.Message}");
            }
        }
    }
}
