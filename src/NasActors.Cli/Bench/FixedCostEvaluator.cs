using NasActors.Core.Randomness;
using NasActors.Core.Trials;

namespace NasActors.Cli.Bench;

/// <summary>
/// For simulated time: every trial "costs" <paramref name="meanSeconds"/> ± 10% (drawn from the trial's seed, so
/// trainers do not finish in lock-step) and scores a seeded random accuracy. Does no work itself.
/// </summary>
public sealed class FixedCostEvaluator(double meanSeconds) : ITrialEvaluator
{
    public Task<TrialMetrics> EvaluateAsync(TrialRequest trial, TrialContext context, CancellationToken cancellationToken)
    {
        var random = new SeededRandom(trial.Seed ^ trial.TrialId);
        var accuracy = 0.5 + 0.4 * random.NextDouble();
        return Task.FromResult(new TrialMetrics(accuracy, 1 - accuracy, 1, meanSeconds * (0.9 + 0.2 * random.NextDouble())));
    }
}
