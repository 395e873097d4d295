namespace NasActors.Core.Specs;

/// <summary>
/// The optional <c>hyperparameters:</c> block: training settings searched jointly with the
/// architecture. Each is null when not searched (the fixed <c>training:</c> value applies).
/// </summary>
public sealed record HyperparameterSpec(
    LogRange? LearningRate,
    LogRange? WeightDecay,
    IReadOnlyList<int>? BatchSizes,
    IReadOnlyList<int>? Epochs)
{
    public bool IsEmpty => LearningRate is null && WeightDecay is null && BatchSizes is null && Epochs is null;
}

/// <summary>A positive range searched log-uniformly.</summary>
public sealed record LogRange(double Low, double High);
