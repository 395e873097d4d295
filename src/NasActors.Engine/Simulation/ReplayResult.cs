using NasActors.Engine.Searches;

namespace NasActors.Engine.Simulation;

/// <summary>
/// What one replayed search produced: every trial completed within the budget with its simulated
/// completion time, the coordinator's best trial, and how the run went (deaths, re-issued leases).
/// </summary>
public sealed record ReplayResult(
    SearchId SearchId,
    SearchPhase Phase,
    IReadOnlyList<ReplayTrial> Trials,
    ReplayTrial? Best,
    int Failed,
    int Deaths,
    int ReissuedLeases,
    double SimulatedSeconds,
    string? Message)
{
    public int Evaluations => Trials.Count;

    /// <summary>Times the driver sent an idle trainer back to the coordinator (the cost of waiting trainers, in round trips).</summary>
    public int IdlePolls { get; init; }

    /// <summary>Lease checks the driver asked of the coordinator (one per simulated instant that something happened at).</summary>
    public int LeaseChecks { get; init; }
}

/// <summary>A completed trial as the search saw it: architecture, signal (its objective), cost, when it finished.</summary>
public sealed record ReplayTrial(int TrialId, string Architecture, double Signal, double Cost, double CompletedAt, int Leases)
{
    /// <summary>Everything the evaluator reported (its extra metrics say e.g. the epochs a multi-fidelity trial trained).</summary>
    public NasActors.Core.Trials.TrialMetrics? Metrics { get; init; }
}

/// <param name="Workers">simulated trainers running concurrently</param>
/// <param name="BudgetSeconds">simulated seconds; results completing later do not count (null: only the spec's trial budget)</param>
/// <param name="KillRate">chance that a trainer dies during a trial (it stops heartbeating and never reports; a replacement joins)</param>
/// <param name="Seed">seed of the deaths (which trials, when)</param>
public sealed record ReplaySettings(int Workers = 1, double? BudgetSeconds = 12_000, double KillRate = 0, long Seed = 0);
