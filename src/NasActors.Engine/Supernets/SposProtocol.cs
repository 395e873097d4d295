using NasActors.Engine.Searches;

namespace NasActors.Engine.Supernets;

/// <summary>What the supernet driver (<see cref="SupernetRun"/>; SPOS, DARTS, weight-sharing MANAS) and its supernet workers say to each other, and what the driver reports.</summary>
public static class SposProtocol
{
    /// <summary>A worker is idle: answered <see cref="RunRound"/> or <see cref="NoMoreRounds"/>.</summary>
    public sealed record RequestRound;

    /// <summary>
    /// Train the single path <paramref name="Path"/> (genotype values) for the configured batches, mini-batches drawn from <paramref name="Seed"/>.
    /// A DARTS supernet ignores the path: its round trains the whole mixture and α (its <c>BlocksOf</c> is every block).
    /// </summary>
    public sealed record RunRound(int Round, IReadOnlyList<double> Path, long Seed);

    public sealed record NoMoreRounds;

    /// <summary>
    /// A round's pushes were answered: <paramref name="Accepted"/> blocks merged, <paramref name="Refused"/> refused as stale;
    /// <paramref name="Reward"/>: the path's validation-batch accuracy after the round's steps (null: the supernet measures none; v1 has none).
    /// </summary>
    public sealed record RoundDone(int Round, int Accepted, int Refused, int Samples, double Loss, double? Reward = null);

    public sealed record GetWorkers;

    public sealed record WorkersView(IReadOnlyList<Akka.Actor.IActorRef> Workers, int CompletedRounds);

    /// <summary>Phases 1 and 2 are over: every subnet phase 2 scored, best first.</summary>
    public sealed record SupernetRanked(SearchId Search, IReadOnlyList<RankedSubnet> Ranking, SupernetRunStats Stats);
}

public sealed record RankedSubnet(IReadOnlyList<double> Values, string Canonical, double Score);

/// <param name="Rounds">single-path rounds completed in phase 1</param>
/// <param name="Samples">training examples seen in phase 1</param>
/// <param name="AcceptedPushes">block pushes merged</param>
/// <param name="RefusedPushes">block pushes refused as stale</param>
/// <param name="WorkersReplaced">workers that died and were replaced (their rounds re-run)</param>
/// <param name="TrainingSeconds">wall time of phase 1</param>
/// <param name="SearchSeconds">wall time of phase 2</param>
/// <param name="RecoveredRounds">rounds (of <paramref name="Rounds"/>) the shards already held when this driver started: done before a restart</param>
public sealed record SupernetRunStats(int Rounds, long Samples, int AcceptedPushes, int RefusedPushes, int WorkersReplaced, double TrainingSeconds, double SearchSeconds,
    int RecoveredRounds = 0)
{
    public double SamplesPerSecond => TrainingSeconds > 0 ? Samples / TrainingSeconds : 0;
}
