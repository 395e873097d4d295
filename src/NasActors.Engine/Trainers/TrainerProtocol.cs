using NasActors.Core.Trials;
using NasActors.Engine.Searches;

namespace NasActors.Engine.Trainers;

/// <summary>Messages a trainer sends itself; private to the trainer.</summary>
internal static class TrainerProtocol
{
    public sealed record PollForWork;

    public sealed record SendHeartbeat;

    public sealed record ResendResult;

    /// <summary>A lease-ahead report (<see cref="SearchProtocol.ReportResults"/>) went unanswered for its back-off delay: send it again.</summary>
    public sealed record ResendBatch(int Batch);

    /// <summary>A work request went unanswered for its back-off delay: ask again.</summary>
    public sealed record ResendRequest;

    /// <summary>The grace period after a lost lease is over; the abandoned evaluation may not have ended.</summary>
    public sealed record GraceOver(int Attempt);

    public sealed record CooldownOver;

    /// <summary>While draining: cancel the trial once its progress passes this epoch (the next epoch boundary).</summary>
    public sealed record DrainCheck(int EpochAtDrain);

    /// <summary><paramref name="Attempt"/> tells a result of the current trial from one of a trial already abandoned.</summary>
    public sealed record TrainingSucceeded(TrialRequest Trial, int Attempt, TrialMetrics Metrics);

    public sealed record TrainingFailed(TrialRequest Trial, int Attempt, string Reason, FailureKind Kind);
}

/// <summary>
/// Sent to a trainer when its node drains (SIGTERM, SIGUSR1, the allocation's end): it takes no more work, stops its
/// trial at the next epoch boundary and hands it back as preempted, then answers <see cref="TrainerDrained"/>.
/// </summary>
public sealed record DrainTrainer;

/// <summary>A drained trainer holds no trial and takes no more work.</summary>
public sealed record TrainerDrained(string TrainerId);

/// <summary>
/// Published on the event stream when a trainer takes itself out of rotation after <paramref name="ConsecutiveFailures"/>
/// infrastructure faults in a row (see <see cref="TrainerActor"/>: device or machine faults, lost leases; not trial failures).
/// </summary>
public sealed record TrainerCoolingDown(string TrainerId, string Device, int ConsecutiveFailures, TimeSpan Cooldown, string LastError)
{
    /// <summary>Why, as the trainer, its roster and the dashboard show it.</summary>
    public string Reason => $"{ConsecutiveFailures} infrastructure faults in a row; last: {LastError}";
}

/// <summary>
/// Published on the event stream when a trainer that had counted infrastructure faults completes a trial: the count starts
/// again, and its node's roster forgets the trials the slot lost with an earlier process.
/// </summary>
public sealed record TrainerFaultsCleared(string TrainerId);

/// <summary>
/// Published on the event stream when a trainer lost a lease and its evaluation did not stop within the grace
/// period (a native call that ignores cancellation may still hold the device): the trainer takes no new work
/// until that evaluation ends.
/// </summary>
public sealed record TrainerWedged(string TrainerId, string Device, int TrialId);

/// <summary>Asks a trainer what it does now; answered with <see cref="TrainerState"/>.</summary>
public sealed record GetTrainerState;

/// <summary>
/// An operator takes a trainer out of rotation for <paramref name="For"/> (<see cref="Timeout.InfiniteTimeSpan"/>: until
/// released); a trial in hand finishes first. Answered with <see cref="TrainerState"/>.
/// </summary>
public sealed record QuarantineTrainerNow(TimeSpan For);

/// <summary>Ends a quarantine (an operator's release, or the roster's cool-down timer); answered with <see cref="TrainerState"/>.</summary>
public sealed record ReleaseTrainer;

public enum TrainerPhase
{
    Idle,
    Training,
    Reporting,
    Abandoning,
    Wedged,
    Quarantined,
    Drained
}

/// <summary>What a trainer does now: its trial (search, id, latest progress), its failures, why it is quarantined.</summary>
public sealed record TrainerState(
    string TrainerId,
    string Device,
    TrainerPhase Phase,
    string? SearchId,
    int? TrialId,
    TrialProgress? Progress,
    int ConsecutiveFailures,
    int Failures,
    string? QuarantineReason);

/// <summary>Where a trainer runs its trials and how much of the machine it owns.</summary>
/// <param name="RetryFirst">first wait for an answer to a work request or a report before sending it again (default 1 s: shorter waits re-sent requests that a busy coordinator was about to answer, and the duplicates cost hand-backs); doubles per retry</param>
/// <param name="RetryMax">the cap of that wait (default 10 s): a trainer keeps asking, so a restarted coordinator always hears from it</param>
/// <param name="LostLeaseGrace">how long a cancelled evaluation may take to stop before the trainer counts itself wedged (default 10 s)</param>
/// <param name="FailuresBeforeCooldown">infrastructure faults in a row that quarantine the trainer (default 3; a completed trial resets the count)</param>
/// <param name="CooldownPeriod">how long an automatic quarantine lasts (default 60 s)</param>
/// <param name="QuarantinedFor">start quarantined for this long (the roster's record from before a restart; infinite: until released)</param>
/// <param name="InFlightMarker">
/// a node-local file the trainer writes (search, trial, epoch) while a trial runs and deletes when it ends: one left behind
/// tells the restarted node's roster that the trial died with the process (null: none)
/// </param>
/// <param name="PriorFaults">infrastructure faults counted before this trainer started (trials its slot lost with the process)</param>
/// <param name="PriorFault">the last of those, for the quarantine's reason</param>
public sealed record TrainerSettings(
    string TrainerId,
    string ArtifactRoot,
    int Threads,
    string Device = "cpu",
    TimeSpan? PollInterval = null,
    TimeSpan? RetryFirst = null,
    TimeSpan? RetryMax = null,
    int FailuresBeforeCooldown = 3,
    TimeSpan? CooldownPeriod = null,
    TimeSpan? LostLeaseGrace = null,
    TimeSpan? QuarantinedFor = null,
    string? InFlightMarker = null,
    int PriorFaults = 0,
    string? PriorFault = null)
{
    public TimeSpan Poll => PollInterval ?? TimeSpan.FromMilliseconds(250);
    public TimeSpan Cooldown => CooldownPeriod ?? TimeSpan.FromMinutes(1);
    public TimeSpan Grace => LostLeaseGrace ?? TimeSpan.FromSeconds(10);

    /// <summary>The wait before retry number <paramref name="retry"/> (0-based): exponential, capped.</summary>
    public TimeSpan RetryDelay(int retry)
    {
        var first = RetryFirst ?? TimeSpan.FromSeconds(1);
        var max = RetryMax ?? TimeSpan.FromSeconds(10);
        return TimeSpan.FromTicks((long)Math.Min(max.Ticks, first.Ticks * Math.Pow(2, Math.Min(retry, 30))));
    }
}

/// <summary>Builds the evaluator for a search from its stored spec (TorchSharp, tabular, fake…).</summary>
public interface IEvaluatorProvider
{
    ITrialEvaluator For(NasActors.Core.Specs.SearchDefinition definition);
}
