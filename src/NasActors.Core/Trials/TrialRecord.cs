using NasActors.Core.Spaces;

namespace NasActors.Core.Trials;

/// <summary>
/// A trial as plain data (the genotype as its raw values), for events, snapshots and messages:
/// whoever reads it rebuilds the genotype with the search's space, which re-validates it.
/// </summary>
public sealed record TrialRecord(int TrialId, double[] Values, int Epochs, double DataFraction, long Seed)
{
    public static TrialRecord From(TrialRequest request) => new(
        request.TrialId, request.Genotype.Values.ToArray(), request.Fidelity.Epochs, request.Fidelity.DataFraction, request.Seed);

    public TrialRequest ToRequest(SearchSpace space) =>
        new(TrialId, space.FromValues(Values), new Fidelity(Epochs, DataFraction), Seed);
}
