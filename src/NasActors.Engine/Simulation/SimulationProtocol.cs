using NasActors.Engine.Serialization;

namespace NasActors.Engine.Simulation;

/// <summary>
/// Messages between a replay's driver (<see cref="ReplayRun"/>) and its simulated trainers. A trainer
/// is "busy" from the moment the driver wakes or polls it until it reports one of the waiting states
/// (sleeping, idle, done); the driver advances the clock only while no trainer is busy.
/// </summary>
[LocalOnly("a replay runs in one process on simulated time")]
public static class SimulationProtocol
{
    /// <summary>Wake me at simulated second <paramref name="Until"/>; I am training <paramref name="TrialId"/>, which ends at <paramref name="TrialEnds"/>.</summary>
    public sealed record TrainerSleeps(string TrainerId, double Until, int TrialId, double TrialEnds);

    /// <summary>The coordinator had no work for me (a strategy waiting on stragglers): poll me when something changes.</summary>
    public sealed record TrainerIdle(string TrainerId);

    /// <summary>The search is over for me.</summary>
    public sealed record TrainerDone(string TrainerId);

    /// <summary>My result for <paramref name="TrialId"/> is in the journal; I am asking for more work (still busy).</summary>
    public sealed record TrialAccepted(string TrainerId, int TrialId);

    /// <summary>Driver → trainer: the simulated time you asked for has come.</summary>
    public sealed record Wake
    {
        public static readonly Wake Instance = new();
    }

    /// <summary>Driver → idle trainer: ask the coordinator for work again.</summary>
    public sealed record Poll
    {
        public static readonly Poll Instance = new();
    }
}
