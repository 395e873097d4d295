namespace NasActors.Core.Trials;

/// <summary>
/// How much training a trial gets: multi-fidelity strategies and curricula vary it.
/// <see cref="Resolution"/> (image side; null = the data's own) is honoured by the trainer for
/// cell networks; it is not yet carried by persisted trial records (TrialRecord), so only
/// in-process evaluators (benchmarks, tests) use it for now.
/// </summary>
public sealed record Fidelity(int Epochs, double DataFraction = 1.0)
{
    public int? Resolution { get; init; }
}
