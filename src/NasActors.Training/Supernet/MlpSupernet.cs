using NasActors.Core.Spaces;
using NasActors.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasActors.Training.Supernet;

/// <summary>
/// Supernet of an <see cref="MlpSpace"/>: hidden layer k holds one max-width linear
/// (<c>layer{k}</c>: widest width × widest input), and a path of width w on input i uses its top-left
/// w × i slice (the first w units), as in slimmable and once-for-all networks; the classifier
/// (<c>head</c>) likewise takes the first inputs it needs. Activation and dropout have no weights: the
/// path's are applied. Blocks: <c>layer1..layerN</c>, <c>head</c>; a path of depth d uses
/// <c>layer1..layerd</c> and <c>head</c>.
/// </summary>
public sealed class MlpSupernet : SupernetModule
{
    private readonly MlpSpace _space;
    private readonly Linear[] _layers;
    private readonly Linear _head;

    public MlpSupernet(MlpSpace space) : base(nameof(MlpSupernet))
    {
        _space = space;
        var o = space.Options;
        var widest = o.Widths.Max();
        _layers = new Linear[o.MaxDepth];
        for (var k = 0; k < o.MaxDepth; k++)
        {
            _layers[k] = nn.Linear(k == 0 ? o.InputFeatures : widest, widest);
            register_module($"layer{k + 1}", _layers[k]);
        }
        // A depth-0 path feeds the inputs straight to the classifier.
        _head = nn.Linear(o.Depths.Min() == 0 ? Math.Max(widest, o.InputFeatures) : widest, o.Classes);
        register_module("head", _head);
    }

    public override IReadOnlyList<string> BlocksOf(Genotype path) =>
        [.. Enumerable.Range(1, _space.Depth(path)).Select(k => $"layer{k}"), "head"];

    /// <summary>Depth, the active widths and the activation: learning rate and dropout do not change inherited weights' outputs.</summary>
    public override string PathKey(Genotype path) =>
        $"depth={_space.Depth(path)}|widths={string.Join(',', Enumerable.Range(0, _space.Depth(path)).Select(k => _space.Width(path, k)))}|act={_space.Activation(path)}";

    public override Tensor forward(Tensor input)
    {
        var path = Path ?? throw new InvalidOperationException($"{nameof(MlpSupernet)}: set {nameof(Path)} before forward");
        var dropout = _space.Dropout(path);
        var activation = _space.Activation(path);
        var x = input;
        long inputs = _space.Options.InputFeatures;
        for (var k = 0; k < _space.Depth(path); k++)
        {
            var width = _space.Width(path, k);
            var layer = _layers[k];
            x = nn.functional.linear(x, layer.weight.narrow(0, 0, width).narrow(1, 0, inputs), layer.bias!.narrow(0, 0, width));
            x = Activate(x, activation);
            if (dropout > 0) x = nn.functional.dropout(x, dropout, training);
            inputs = width;
        }
        return nn.functional.linear(x, _head.weight.narrow(1, 0, inputs), _head.bias);
    }

    /// <summary>The path as an <see cref="MlpModel"/> (keys <c>layers.fc{k}.*</c>, <c>layers.out.*</c>) with its slices copied in.</summary>
    public override CandidateNetwork Subnet(Genotype path)
    {
        var model = MlpModel.Build(_space, path);
        CopyInto(model, key => key.StartsWith("layers.fc", StringComparison.Ordinal)
            ? "layer" + key["layers.fc".Length..]
            : "head" + key["layers.out".Length..]);
        return model;
    }

    private static Tensor Activate(Tensor x, string name) => name.ToLowerInvariant() switch
    {
        "relu" => nn.functional.relu(x),
        "gelu" => nn.functional.gelu(x),
        "tanh" => x.tanh(),
        "sigmoid" => x.sigmoid(),
        "silu" => nn.functional.silu(x),
        _ => throw new ArgumentException($"unknown activation '{name}' (expected relu, gelu, tanh, sigmoid or silu)", nameof(name))
    };
}
