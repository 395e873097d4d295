namespace NasActors.Core.Spaces;

/// <summary>
/// Macro search space of multi-layer perceptrons: depth, a width per hidden layer,
/// one activation, one dropout rate, jointly with the learning rate.
/// Decisions: depth, width1..widthN, activation, dropout, lr.
/// </summary>
public sealed class MlpSpace : SearchSpace
{
    public const string TypeName = "mlp";

    public MlpSpace(MlpSpaceOptions options) : base(TypeName, BuildDecisions(options))
    {
        Options = options;
        DepthChoices = options.Depths;
    }

    public MlpSpaceOptions Options { get; }
    private IReadOnlyList<int> DepthChoices { get; }

    public int Depth(Genotype g) => DepthChoices[(int)g[0]];
    public int Width(Genotype g, int layer) => Options.Widths[(int)g[1 + layer]];
    public string Activation(Genotype g) => Options.Activations[(int)g[1 + Options.MaxDepth]];
    public double Dropout(Genotype g) => Options.Dropouts[(int)g[2 + Options.MaxDepth]];
    public double LearningRate(Genotype g) => g[3 + Options.MaxDepth];

    public override bool IsActive(IReadOnlyList<double> values, int index)
    {
        // Width of layer k matters only when the depth reaches k.
        if (index >= 1 && index <= Options.MaxDepth)
            return index <= DepthChoices[(int)values[0]];
        return true;
    }

    public override long ParameterCount(Genotype genotype)
    {
        long total = 0;
        var inputs = Options.InputFeatures;
        for (var layer = 0; layer < Depth(genotype); layer++)
        {
            var width = Width(genotype, layer);
            total += (long)inputs * width + width;
            inputs = width;
        }
        return total + (long)inputs * Options.Classes + Options.Classes;
    }

    /// <summary>Multiply-accumulates of the linear layers (activations and dropout not counted).</summary>
    public override long? FlopCount(Genotype genotype)
    {
        long total = 0;
        var inputs = Options.InputFeatures;
        for (var layer = 0; layer < Depth(genotype); layer++)
        {
            total += (long)inputs * Width(genotype, layer);
            inputs = Width(genotype, layer);
        }
        return total + (long)inputs * Options.Classes;
    }

    private static IReadOnlyList<Decision> BuildDecisions(MlpSpaceOptions o)
    {
        var widths = o.Widths.Select(w => w.ToString()).ToArray();
        var decisions = new List<Decision> { new CategoricalDecision("depth", o.Depths.Select(d => d.ToString()).ToArray()) };
        for (var layer = 1; layer <= o.MaxDepth; layer++) decisions.Add(new CategoricalDecision($"w{layer}", widths));
        decisions.Add(new CategoricalDecision("act", o.Activations));
        decisions.Add(new CategoricalDecision("dropout", o.Dropouts.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray()));
        decisions.Add(o.LearningRate);
        return decisions;
    }
}

/// <summary>Shape of an <see cref="MlpSpace"/>; input features and classes come from the dataset.</summary>
public sealed record MlpSpaceOptions(
    IReadOnlyList<int> Depths,
    IReadOnlyList<int> Widths,
    IReadOnlyList<string> Activations,
    IReadOnlyList<double> Dropouts,
    LogUniformDecision LearningRate,
    int InputFeatures,
    int Classes)
{
    public int MaxDepth => Depths.Max();
}
