using NasActors.Core.Spaces;

namespace NasActors.Core.Specs;

/// <summary>The <c>space:</c> and <c>hyperparameters:</c> blocks.</summary>
public static partial class SpecReader
{
    public static readonly string[] Activations = ["relu", "gelu", "tanh", "sigmoid", "silu"];
    public static readonly string[] SpaceTypes = [MlpSpace.TypeName, Nb201Space.TypeName, CnnSpace.TypeName];

    private static SpaceSpec ReadSpace(YamlField space) => space.Choice("type", SpaceTypes) switch
    {
        MlpSpace.TypeName => ReadMlpSpace(space),
        Nb201Space.TypeName => ReadNb201Space(space),
        _ => ReadCnnSpace(space)
    };

    private static MlpSpaceSpec ReadMlpSpace(YamlField space)
    {
        space.AllowOnly("type", "depth", "widths", "activations", "dropout", "learning_rate");
        var lr = ReadLogRange(space, "learning_rate", new LogRange(3e-4, 3e-2));
        return new MlpSpaceSpec(
            MlpSpace.TypeName,
            space.IntList("depth", [1, 2, 3, 4], 1, 16),
            space.IntList("widths", [16, 32, 64, 128, 256], 1, 65_536),
            space.ChoiceList("activations", ["relu", "gelu", "tanh"], Activations),
            space.DoubleList("dropout", [0.0, 0.1, 0.3], 0, 0.95),
            lr.Low, lr.High);
    }

    private static Nb201SpaceSpec ReadNb201Space(YamlField space)
    {
        space.AllowOnly("type", "merge_isomorphic");
        return new Nb201SpaceSpec(Nb201Space.TypeName, space.Bool("merge_isomorphic", false));
    }

    private static CnnSpaceSpec ReadCnnSpace(YamlField space)
    {
        space.AllowOnly("type", "stages", "layers", "kernels", "expansions", "width_multipliers", "resolution", "channels");
        return new CnnSpaceSpec(
            CnnSpace.TypeName,
            space.Int("stages", 5, 1, CnnSpace.MnasStageChannels.Count),
            space.IntList("layers", [1, 2, 3, 4], 1, 8),
            OddList(space, "kernels", [3, 5]),
            space.IntList("expansions", [1, 3, 6], 1, 8),
            space.DoubleList("width_multipliers", [0.5, 0.75, 1.0, 1.25], 0.1, 4),
            space.Has("resolution") ? space.Int("resolution", null, 1, 4096) : null,
            space.Int("channels", 1, 1, 64));
    }

    private static IReadOnlyList<int> OddList(YamlField field, string key, IReadOnlyList<int> fallback)
    {
        var values = field.IntList(key, fallback, 1, 11);
        return values.All(v => v % 2 == 1) ? values : throw field.Error(null, key, "kernel sizes must be odd (1, 3, 5, 7, 9 or 11)");
    }

    private static HyperparameterSpec ReadHyperparameters(YamlField block, SpaceSpec space)
    {
        block.AllowOnly("learning_rate", "weight_decay", "batch_size", "epochs");
        if (space is MlpSpaceSpec && block.Has("learning_rate"))
            throw block.Error(null, "learning_rate", "the mlp space already searches the learning rate; set it under space.learning_rate");
        return new HyperparameterSpec(
            block.Has("learning_rate") ? ReadLogRange(block, "learning_rate", null) : null,
            block.Has("weight_decay") ? ReadLogRange(block, "weight_decay", null) : null,
            block.Has("batch_size") ? block.IntList("batch_size", [], 1, 65_536) : null,
            block.Has("epochs") ? block.IntList("epochs", [], 1, 10_000) : null);
    }

    /// <summary><c>key: {low: a, high: b}</c> with 0 &lt; a ≤ b, searched log-uniformly.</summary>
    private static LogRange ReadLogRange(YamlField parent, string key, LogRange? fallback)
    {
        var range = parent.Mapping(key, required: fallback is null);
        range.AllowOnly("low", "high");
        var low = range.Double("low", fallback?.Low, 1e-12, 10);
        var high = range.Double("high", fallback?.High, 1e-12, 10);
        return high >= low ? new LogRange(low, high) : throw range.Error(null, "high", $"must be at least low ({low})");
    }
}
