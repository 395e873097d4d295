namespace NasActors.Core.Specs;

/// <summary>
/// One stage of a curriculum plan: <paramref name="Trials"/> completed trials at a fidelity
/// (epochs, data fraction), optionally within a restricted space, after which the best are promoted
/// (top-k or top-fraction) and re-evaluated first in the next stage.
/// </summary>
/// <param name="Restrict">categorical decision name → the options allowed in this stage; null: the whole space</param>
public sealed record StageSpec(
    string Name,
    int Epochs,
    double DataFraction,
    int Trials,
    int? PromoteTopK,
    double? PromoteTopFraction,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Restrict);
