using System.Text.Json.Serialization;

namespace NasActors.Core.Specs;

/// <summary>The <c>space:</c> block of a spec; <see cref="Type"/> picks the subclass.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$space")]
[JsonDerivedType(typeof(MlpSpaceSpec), "mlp")]
[JsonDerivedType(typeof(Nb201SpaceSpec), "nb201")]
[JsonDerivedType(typeof(CnnSpaceSpec), "cnn")]
public abstract record SpaceSpec(string Type);

public sealed record MlpSpaceSpec(
    string Type,
    IReadOnlyList<int> Depths,
    IReadOnlyList<int> Widths,
    IReadOnlyList<string> Activations,
    IReadOnlyList<double> Dropouts,
    double LearningRateLow,
    double LearningRateHigh) : SpaceSpec(Type);

public sealed record Nb201SpaceSpec(string Type, bool MergeIsomorphic) : SpaceSpec(Type);

/// <summary>
/// MnasNet-style macro space. <see cref="Resolution"/> and <see cref="InputChannels"/> describe the
/// input images; a null resolution means "square images, inferred from the dataset's feature count".
/// </summary>
public sealed record CnnSpaceSpec(
    string Type,
    int Stages,
    IReadOnlyList<int> Layers,
    IReadOnlyList<int> Kernels,
    IReadOnlyList<int> Expansions,
    IReadOnlyList<double> WidthMultipliers,
    int? Resolution,
    int InputChannels) : SpaceSpec(Type);
