using System.Diagnostics;
using NasActors.Core.Trials;

namespace NasActors.Engine.Trainers.FaultInjection;

/// <summary>Makes the trials a <see cref="FaultPlan"/> names misbehave; every other trial passes through.</summary>
public sealed class FaultInjectingEvaluator(ITrialEvaluator inner, FaultPlan plan) : ITrialEvaluator
{
    public async Task<TrialMetrics> EvaluateAsync(TrialRequest trial, TrialContext context, CancellationToken cancellationToken)
    {
        var id = trial.TrialId;
        switch (plan.For(id))
        {
            case FaultKind.Nan:
                var metrics = await inner.EvaluateAsync(trial, context, cancellationToken);
                return metrics with { ValidationLoss = double.NaN };
            case FaultKind.Throw:
                throw new InvalidOperationException($"injected fault: trial {id} throws ({FaultPlan.EnvironmentVariable})");
            case FaultKind.Hang:
                Announce(id, "hangs, ignoring cancellation");
                BlockForever();
                break;
            case FaultKind.HangOnce when AttemptLog.Record(context, id) == 1:
                Announce(id, "hangs on its first attempt, ignoring cancellation");
                BlockForever();
                break;
            case FaultKind.Kill:
                var attempt = AttemptLog.Record(context, id);
                Announce(id, $"kills the process (attempt {attempt})");
                // Mid-trial: the evaluation has started (and may have written a checkpoint) when the process dies.
                _ = inner.EvaluateAsync(trial, context, CancellationToken.None);
                Thread.Sleep((plan.FakeDuration ?? TimeSpan.FromMilliseconds(400)) / 2);
                Process.GetCurrentProcess().Kill(); // SIGKILL on Unix: no finally block, no flush, no goodbye
                break;
        }
        return await inner.EvaluateAsync(trial, context, cancellationToken);
    }

    /// <summary>Blocks the calling thread for good: a native call that neither returns nor looks at a cancellation token.</summary>
    private static void BlockForever() => Thread.Sleep(Timeout.Infinite);

    private static void Announce(int trialId, string what) =>
        Console.Error.WriteLine($"{FaultPlan.EnvironmentVariable}: trial {trialId} {what}");
}
