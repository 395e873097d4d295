using NasActors.Core.Data;
using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using static TorchSharp.torch;

namespace NasActors.Training.Models;

/// <summary>
/// Builds the network of any genotype of a search: dispatches on the space type (searched
/// hyperparameters of a <see cref="JointSpace"/> are stripped first) to <see cref="MlpModel"/>,
/// <see cref="Nb201Model"/> or <see cref="CnnModel"/>. Image networks get the dataset's image shape;
/// NAS-Bench-201 networks may be trained at another side (<c>resolution</c>) than the data's.
/// </summary>
public sealed class NetworkFactory
{
    public NetworkFactory(SearchSpace space, ImageShape? image, int classes, Nb201ModelOptions? nb201 = null)
    {
        Space = space;
        Architecture = space is JointSpace joint ? joint.Inner : space;
        Classes = classes;
        Image = Architecture switch
        {
            CnnSpace cnn => CnnModel.ShapeOf(cnn.Options),
            Nb201Space => image ?? throw new ArgumentException("a NAS-Bench-201 search needs image data (dataset.image, or an idx dataset)", nameof(image)),
            _ => image
        };
        Nb201 = nb201 ?? new Nb201ModelOptions(Image ?? new ImageShape(1, 1, 1), classes);
    }

    public SearchSpace Space { get; }
    /// <summary>The architecture space (the search's space without searched hyperparameters).</summary>
    public SearchSpace Architecture { get; }
    public int Classes { get; }
    /// <summary>The input images the network expects (null for an MLP, which takes flat rows).</summary>
    public ImageShape? Image { get; }
    public Nb201ModelOptions Nb201 { get; }
    public bool TakesImages => Architecture is not MlpSpace;

    /// <summary>The factory for a search: image shape from the dataset spec, else square one-channel images.</summary>
    public static NetworkFactory For(SearchDefinition definition, ImageShape? image = null, Nb201ModelOptions? nb201 = null) =>
        new(definition.Space, image ?? definition.Spec.Dataset.Image ?? SquareImage(definition.Shape.Features), definition.Shape.Classes, nb201);

    /// <summary>A freshly initialised network (weights from <paramref name="generator"/>).</summary>
    public CandidateNetwork Create(Genotype genotype, Generator generator, int? resolution = null)
    {
        var model = Build(genotype, resolution);
        model.Initialise(generator);
        return model;
    }

    /// <summary>The network without initialisation, for loading saved weights.</summary>
    public CandidateNetwork Build(Genotype genotype, int? resolution = null)
    {
        if (genotype.Space != Space.Name)
            throw new ArgumentException($"genotype of space '{genotype.Space}' cannot be built by space '{Space.Name}'", nameof(genotype));
        var architecture = Space.Architecture(genotype);
        return Architecture switch
        {
            MlpSpace mlp => MlpModel.Build(mlp, architecture),
            Nb201Space nb201 => Nb201Model.Build(nb201, architecture, resolution is { } side ? Nb201 with { Input = Nb201.Input with { Height = side, Width = side } } : Nb201),
            CnnSpace cnn => CnnModel.Build(cnn, architecture),
            _ => throw new NotSupportedException($"no network builder for space type '{Architecture.Name}'")
        };
    }

    /// <summary>Whether the analytic counts of the space describe the networks built here (NB201 counts assume C=16, N=5 on 3-channel input).</summary>
    public bool MatchesAnalyticParameters => Architecture switch
    {
        Nb201Space => Nb201.Channels == 16 && Nb201.CellsPerStage == 5 && Nb201.Input.Channels == 3,
        _ => true
    };

    private static ImageShape? SquareImage(int features)
    {
        var side = (int)Math.Round(Math.Sqrt(features));
        return side * side == features ? new ImageShape(1, side, side) : null;
    }
}
