namespace NasActors.Core.Trials;

/// <summary>
/// How much training a trial gets: multi-fidelity strategies and curricula vary it.
/// <see cref="Resolution"/> (image side; null = the data's own) is honoured by the trainer for
/// cell networks and travels with the trial through the journal (<see cref="TrialRecord"/>).
/// </summary>
public sealed record Fidelity(int Epochs, double DataFraction = 1.0)
{
    public int? Resolution { get; init; }
}
