using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Trainers;

namespace NasActors.Engine.Tests.Support;

/// <summary>
/// Scores a trial from its genotype's stable hash (no training), optionally failing or
/// hanging on chosen trial ids, so trainer and coordinator behaviour can be tested quickly.
/// </summary>
public sealed class FakeEvaluator : ITrialEvaluator, IEvaluatorProvider
{
    public HashSet<int> FailOn { get; } = [];
    public HashSet<int> HangOn { get; } = [];
    public List<int> Evaluated { get; } = [];
    public List<int> Cancelled { get; } = [];
    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The next N evaluations, whatever their trial, fail with an <see cref="InfrastructureException"/> (a device fault).</summary>
    public int InfrastructureFaults { get; set; }

    public ITrialEvaluator For(SearchDefinition definition) => this;

    public async Task<TrialMetrics> EvaluateAsync(TrialRequest trial, TrialContext context, CancellationToken cancellationToken)
    {
        lock (Evaluated) Evaluated.Add(trial.TrialId);
        if (HangOn.Contains(trial.TrialId))
        {
            try { await Task.Delay(Timeout.Infinite, cancellationToken); }
            catch (OperationCanceledException) { lock (Evaluated) Cancelled.Add(trial.TrialId); throw; }
        }
        await Task.Delay(Delay, cancellationToken);
        lock (Evaluated)
            if (InfrastructureFaults > 0)
            {
                InfrastructureFaults--;
                throw new InfrastructureException($"simulated CUDA error on trial {trial.TrialId}");
            }
        if (FailOn.Contains(trial.TrialId)) throw new InvalidOperationException($"simulated failure of trial {trial.TrialId}");
        return Score(trial);
    }

    public static TrialMetrics Score(TrialRequest trial) =>
        new((trial.Genotype.Hash % 1000) / 1000.0, 1.0, 100, 0.01);
}
