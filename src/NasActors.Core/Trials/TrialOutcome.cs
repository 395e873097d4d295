namespace NasActors.Core.Trials;

/// <summary>How a trial ended, as told to a strategy. Outcomes may arrive in any order.</summary>
public abstract record TrialOutcome(int TrialId);

public sealed record TrialSucceeded(int TrialId, TrialMetrics Metrics, double Objective) : TrialOutcome(TrialId);

public sealed record TrialFailedOutcome(int TrialId, string Reason) : TrialOutcome(TrialId);

public sealed record TrialCancelledOutcome(int TrialId) : TrialOutcome(TrialId);
