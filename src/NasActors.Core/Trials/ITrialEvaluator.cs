namespace NasActors.Core.Trials;

/// <summary>
/// Turns a trial into metrics: TorchSharp training, a tabular-benchmark lookup or a fake
/// are interchangeable behind it. Called off any actor thread; must honour cancellation.
/// </summary>
public interface ITrialEvaluator
{
    Task<TrialMetrics> EvaluateAsync(TrialRequest trial, TrialContext context, CancellationToken cancellationToken);
}

/// <summary>
/// Where a trial may write its artefacts (weights) and how many CPU threads its trainer owns.
/// <see cref="CheckpointDirectory"/>, when set, keeps epoch checkpoints so a re-issued trial resumes
/// from its last finished epoch (on clusters: a shared filesystem).
/// <see cref="LeaseEpoch"/> is the fencing token of the lease this attempt runs under: files an attempt
/// writes carry it, so an attempt that lost its lease never overwrites the live attempt's files.
/// <see cref="Progress"/>, when set, is told of every finished batch/epoch (heartbeats carry it).
/// </summary>
public sealed record TrialContext(
    string ArtifactDirectory,
    int Threads,
    string Device = "cpu",
    string? CheckpointDirectory = null,
    int LeaseEpoch = 0,
    IProgress<TrialProgress>? Progress = null);
