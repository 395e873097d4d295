using NasActors.Training.Metrics;
using NasActors.Training.Models;

namespace NasActors.Training.Trials;

/// <summary>
/// Settings of <see cref="TorchTrialEvaluator"/> that are not part of a genotype: the learning rate
/// when the space does not search it, how latency is measured, and the size of NAS-Bench-201
/// networks (null: the benchmark's C = 16, N = 5).
/// </summary>
public sealed record TorchEvaluatorOptions
{
    public double LearningRate { get; init; } = 1e-3;
    public LatencyMeter Latency { get; init; } = new();
    public Nb201ModelOptions? Nb201 { get; init; }

    /// <summary>
    /// Least training time between two epoch checkpoints (zero: after every epoch). A checkpoint costs a few
    /// durable file writes; when epochs take milliseconds (a tabular benchmark's small MLPs) those writes
    /// dominate, and a re-issued trial loses at most this much training instead.
    /// </summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.Zero;

    /// <summary>Called after each finished (and checkpointed) epoch with the trial id and epoch: progress hooks and tests.</summary>
    public Action<int, int>? AfterEpoch { get; init; }

    /// <summary>
    /// Told of trouble that does not fail a trial (a corrupt checkpoint skipped, training restarted);
    /// null: <see cref="System.Diagnostics.Trace.TraceWarning(string)"/>. A host passes its logger here.
    /// </summary>
    public Action<string>? Warning { get; init; }
}
