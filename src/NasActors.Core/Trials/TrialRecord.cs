using NasActors.Core.Spaces;

namespace NasActors.Core.Trials;

/// <summary>
/// A trial as plain data (the genotype as its raw values), for events, snapshots and messages:
/// whoever reads it rebuilds the genotype with the search's space, which re-validates it.
/// <see cref="Resolution"/> was added after version 1 of the events: records written before it
/// read back with null (the data's own resolution), so old journals recover unchanged.
/// </summary>
public sealed record TrialRecord(int TrialId, double[] Values, int Epochs, double DataFraction, long Seed, int? Resolution = null)
{
    public static TrialRecord From(TrialRequest request) => new(
        request.TrialId, request.Genotype.Values.ToArray(), request.Fidelity.Epochs, request.Fidelity.DataFraction, request.Seed,
        request.Fidelity.Resolution);

    public TrialRequest ToRequest(SearchSpace space) =>
        new(TrialId, space.FromValues(Values), new Fidelity(Epochs, DataFraction) { Resolution = Resolution }, Seed);
}
