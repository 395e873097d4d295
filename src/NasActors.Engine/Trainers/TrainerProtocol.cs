using NasActors.Core.Trials;

namespace NasActors.Engine.Trainers;

/// <summary>Messages a trainer sends itself; private to the trainer.</summary>
internal static class TrainerProtocol
{
    public sealed record PollForWork;

    public sealed record SendHeartbeat;

    public sealed record ResendResult;

    public sealed record TrainingSucceeded(TrialRequest Trial, TrialMetrics Metrics);

    public sealed record TrainingFailed(TrialRequest Trial, string Reason);
}

/// <summary>Where a trainer runs its trials and how much of the machine it owns.</summary>
public sealed record TrainerSettings(
    string TrainerId,
    string ArtifactRoot,
    int Threads,
    string Device = "cpu",
    TimeSpan? PollInterval = null,
    TimeSpan? ResendInterval = null)
{
    public TimeSpan Poll => PollInterval ?? TimeSpan.FromMilliseconds(250);
    public TimeSpan Resend => ResendInterval ?? TimeSpan.FromSeconds(5);
}

/// <summary>Builds the evaluator for a search from its stored spec (TorchSharp, tabular, fake…).</summary>
public interface IEvaluatorProvider
{
    ITrialEvaluator For(NasActors.Core.Specs.SearchDefinition definition);
}
