using NasActors.Core.Trials;

namespace NasActors.Engine.Trainers;

/// <summary>Messages a trainer sends itself; private to the trainer.</summary>
internal static class TrainerProtocol
{
    public sealed record PollForWork;

    public sealed record SendHeartbeat;

    public sealed record ResendResult;

    public sealed record CooldownOver;

    /// <summary><paramref name="Attempt"/> tells a result of the current trial from one of a trial already abandoned.</summary>
    public sealed record TrainingSucceeded(TrialRequest Trial, int Attempt, TrialMetrics Metrics);

    public sealed record TrainingFailed(TrialRequest Trial, int Attempt, string Reason);
}

/// <summary>Published on the event stream when a trainer takes itself out of rotation after repeated failures.</summary>
public sealed record TrainerCoolingDown(string TrainerId, string Device, int ConsecutiveFailures, TimeSpan Cooldown, string LastError);

/// <summary>Where a trainer runs its trials and how much of the machine it owns.</summary>
public sealed record TrainerSettings(
    string TrainerId,
    string ArtifactRoot,
    int Threads,
    string Device = "cpu",
    TimeSpan? PollInterval = null,
    TimeSpan? ResendInterval = null,
    int FailuresBeforeCooldown = 3,
    TimeSpan? CooldownPeriod = null)
{
    public TimeSpan Poll => PollInterval ?? TimeSpan.FromMilliseconds(250);
    public TimeSpan Resend => ResendInterval ?? TimeSpan.FromSeconds(5);
    public TimeSpan Cooldown => CooldownPeriod ?? TimeSpan.FromMinutes(1);
}

/// <summary>Builds the evaluator for a search from its stored spec (TorchSharp, tabular, fake…).</summary>
public interface IEvaluatorProvider
{
    ITrialEvaluator For(NasActors.Core.Specs.SearchDefinition definition);
}
