using NasActors.Core.Spaces;

namespace NasActors.Core.Trials;

/// <summary>One unit of work: train <see cref="Genotype"/> at <see cref="Fidelity"/> with weights seeded by <see cref="Seed"/>.</summary>
public sealed record TrialRequest(int TrialId, Genotype Genotype, Fidelity Fidelity, long Seed);
