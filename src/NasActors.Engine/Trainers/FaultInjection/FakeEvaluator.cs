using NasActors.Core.Randomness;
using NasActors.Core.Specs;
using NasActors.Core.Trials;

namespace NasActors.Engine.Trainers.FaultInjection;

/// <summary>
/// Trains nothing: waits <paramref name="duration"/> (reporting one "epoch" of progress per slice,
/// honouring cancellation), then reports plausible metrics drawn from the trial's seed and
/// genotype, so the same trial always scores the same. With <paramref name="longest"/> each trial waits a
/// duration between the two drawn from its seed and genotype, so trainers do not stay in step. For tests that exercise the engine's fault
/// handling and must not depend on how fast TorchSharp trains on a busy machine.
/// </summary>
public sealed class FakeEvaluator(SearchDefinition definition, TimeSpan duration, TimeSpan? longest = null) : ITrialEvaluator
{
    public async Task<TrialMetrics> EvaluateAsync(TrialRequest trial, TrialContext context, CancellationToken cancellationToken)
    {
        var random = new SeededRandom(trial.Seed ^ (long)trial.Genotype.Hash);
        var accuracy = 0.5 + 0.45 * random.NextDouble();
        var lossNoise = random.NextDouble();
        var wait = longest is { } max ? duration + (max - duration) * random.NextDouble() : duration;
        var epochs = Math.Max(1, trial.Fidelity.Epochs);
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            await Task.Delay(wait / epochs, cancellationToken);
            context.Progress?.Report(new TrialProgress(epoch, 0));
        }
        return new TrialMetrics(accuracy, 1.5 * (1 - accuracy) + 0.05 * lossNoise,
            definition.Space.ParameterCount(trial.Genotype), wait.TotalSeconds);
    }
}
