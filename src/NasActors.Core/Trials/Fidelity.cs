namespace NasActors.Core.Trials;

/// <summary>How much training a trial gets: multi-fidelity strategies and curricula vary it.</summary>
public sealed record Fidelity(int Epochs, double DataFraction = 1.0);
