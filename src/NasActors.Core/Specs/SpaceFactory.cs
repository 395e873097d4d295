using System.Globalization;
using NasActors.Core.Spaces;

namespace NasActors.Core.Specs;

/// <summary>Builds the search space a <see cref="SpaceSpec"/> describes, for a dataset of a given shape.</summary>
public static class SpaceFactory
{
    public static SearchSpace Create(SpaceSpec spec, DatasetShape shape) => spec switch
    {
        MlpSpaceSpec s => new MlpSpace(new MlpSpaceOptions(
            s.Depths, s.Widths, s.Activations, s.Dropouts,
            new LogUniformDecision("lr", s.LearningRateLow, s.LearningRateHigh),
            shape.Features, shape.Classes)),
        Nb201SpaceSpec s => new Nb201Space(shape.Classes, s.MergeIsomorphic),
        CnnSpaceSpec s => new CnnSpace(new CnnSpaceOptions(
            CnnSpace.MnasStageChannels.Take(s.Stages).ToArray(), CnnSpace.MnasStageStrides.Take(s.Stages).ToArray(),
            s.Layers, s.Kernels, s.Expansions, s.WidthMultipliers,
            s.Resolution ?? SquareSide(shape.Features, s.InputChannels), s.InputChannels, shape.Classes)),
        _ => throw new ArgumentException($"unknown space type '{spec.Type}'")
    };

    /// <summary>Decisions for the searched hyperparameters, named as the Training engineer reads them.</summary>
    public static IReadOnlyList<Decision> Hyperparameters(HyperparameterSpec h)
    {
        var decisions = new List<Decision>();
        if (h.LearningRate is { } lr) decisions.Add(new LogUniformDecision("lr", lr.Low, lr.High));
        if (h.WeightDecay is { } wd) decisions.Add(new LogUniformDecision("weight_decay", wd.Low, wd.High));
        if (h.BatchSizes is { } b) decisions.Add(new CategoricalDecision("batch_size", Text(b)));
        if (h.Epochs is { } e) decisions.Add(new CategoricalDecision("epochs", Text(e)));
        return decisions;
    }

    private static string[] Text(IEnumerable<int> values) => values.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();

    // Tabular image data stores pixels flat: features = channels × side².
    private static int SquareSide(int features, int channels)
    {
        var side = (int)Math.Round(Math.Sqrt(features / (double)channels));
        return side * side * channels == features
            ? side
            : throw new ArgumentException($"a cnn space needs square images: {features} features are not {channels} channel(s) of side²; set space.resolution and space.channels");
    }
}
