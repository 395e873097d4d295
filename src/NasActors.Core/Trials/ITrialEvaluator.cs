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
/// </summary>
public sealed record TrialContext(string ArtifactDirectory, int Threads, string Device = "cpu", string? CheckpointDirectory = null);
