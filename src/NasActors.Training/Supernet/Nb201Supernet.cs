using NasActors.Core.Spaces;
using NasActors.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasActors.Training.Supernet;

/// <summary>
/// Supernet of the NAS-Bench-201 network (<see cref="Nb201Model"/>'s skeleton): every edge of every
/// cell holds its own weights for each candidate operation that has any (<see cref="ReluConvBn"/> 1×1
/// and 3×3; none, skip and the 3×3 average pool have none), and a path runs each edge's chosen op.
/// Blocks: <c>stem</c>, <c>cell{j}_edge{ts}_{op}</c> (j: the cell's index in <see cref="Nb201Model"/>'s
/// list, ts: the edge's decision name), <c>reduction{j}</c> (the residual blocks between stages) and
/// <c>head</c> (last BN + classifier). A path uses the fixed blocks and its conv edges.
/// </summary>
public sealed class Nb201Supernet : SupernetModule
{
    private static readonly int[] Source = [0, 0, 1, 0, 1, 2];
    private static readonly int[] Target = [1, 2, 2, 3, 3, 3];
    private static readonly string[] ConvOps = ["nor_conv_1x1", "nor_conv_3x3"];

    private readonly Nb201Space _space;
    private readonly Nb201ModelOptions _options;
    private readonly Stem _stem;
    private readonly Dictionary<string, ReluConvBn> _edges = new(StringComparer.Ordinal);
    private readonly Dictionary<int, ResidualReductionBlock> _reductions = new();
    private readonly Head _head;
    private readonly AvgPool2d _pool = nn.AvgPool2d((3, 3), (1, 1), (1, 1), count_include_pad: false);
    private readonly int _cellCount;

    public Nb201Supernet(Nb201Space space, Nb201ModelOptions options) : base(nameof(Nb201Supernet))
    {
        _space = space;
        _options = options;
        _stem = new Stem(options.Input.Channels, options.Channels);
        register_module("stem", _stem);
        long channels = options.Channels;
        var j = 0;
        for (var stage = 0; stage < 3; stage++)
        {
            if (stage > 0)
            {
                _reductions[j] = new ResidualReductionBlock(channels, channels * 2);
                register_module($"reduction{j}", _reductions[j]);
                channels *= 2;
                j++;
            }
            for (var cell = 0; cell < options.CellsPerStage; cell++, j++)
                for (var e = 0; e < Nb201Space.Edges; e++)
                    foreach (var op in ConvOps)
                    {
                        var name = EdgeBlock(j, e, op);
                        _edges[name] = new ReluConvBn(channels, channels, op == "nor_conv_1x1" ? 1 : 3, 1);
                        register_module(name, _edges[name]);
                    }
        }
        _cellCount = j;
        _head = new Head(channels, options.Classes);
        register_module("head", _head);
    }

    public override IReadOnlyList<string> BlocksOf(Genotype path)
    {
        var blocks = new List<string> { "stem" };
        for (var j = 0; j < _cellCount; j++)
        {
            if (_reductions.ContainsKey(j)) blocks.Add($"reduction{j}");
            else
                for (var e = 0; e < Nb201Space.Edges; e++)
                    if (ConvOps.Contains(_space.Operation(path, e))) blocks.Add(EdgeBlock(j, e, _space.Operation(path, e)));
        }
        blocks.Add("head");
        return blocks;
    }

    public override string PathKey(Genotype path) => path.Canonical;

    public override Tensor forward(Tensor input)
    {
        var path = Path ?? throw new InvalidOperationException($"{nameof(Nb201Supernet)}: set {nameof(Path)} before forward");
        var x = _stem.forward(input);
        for (var j = 0; j < _cellCount; j++)
            x = _reductions.TryGetValue(j, out var reduction) ? reduction.forward(x) : Cell(j, x, path);
        return _head.forward(x);
    }

    /// <summary>
    /// DARTS' continuous relaxation: every edge outputs the sum of all five candidate ops, op k weighted by
    /// <c>edgeWeights[e, k]</c> (shape [6, 5], ops in <see cref="Nb201Space.Operations"/>' order; 'none'
    /// contributes zero whatever its weight). Gradients flow to the weights and to <paramref name="edgeWeights"/>.
    /// </summary>
    public Tensor MixedForward(Tensor input, Tensor edgeWeights)
    {
        var x = _stem.forward(input);
        for (var j = 0; j < _cellCount; j++)
            x = _reductions.TryGetValue(j, out var reduction) ? reduction.forward(x) : MixedCell(j, x, edgeWeights);
        return _head.forward(x);
    }

    private Tensor MixedCell(int j, Tensor input, Tensor edgeWeights)
    {
        var nodes = new Tensor?[4];
        nodes[0] = input;
        for (var e = 0; e < Nb201Space.Edges; e++)
        {
            var from = nodes[Source[e]]!;
            var w = edgeWeights[e];
            var value = w[1] * from
                + w[2] * _edges[EdgeBlock(j, e, "nor_conv_1x1")].forward(from)
                + w[3] * _edges[EdgeBlock(j, e, "nor_conv_3x3")].forward(from)
                + w[4] * _pool.forward(from);
            nodes[Target[e]] = nodes[Target[e]] is { } sum ? sum + value : value;
        }
        return nodes[3]!;
    }

    /// <summary>As <see cref="Nb201Cell.forward"/>, with each edge's op taken from this supernet's weights.</summary>
    private Tensor Cell(int j, Tensor input, Genotype path)
    {
        var nodes = new Tensor?[4];
        nodes[0] = input;
        for (var e = 0; e < Nb201Space.Edges; e++)
        {
            var op = _space.Operation(path, e);
            if (op == "none" || nodes[Source[e]] is not { } from) continue;
            var value = op switch
            {
                "skip_connect" => from,
                "avg_pool_3x3" => _pool.forward(from),
                _ => _edges[EdgeBlock(j, e, op)].forward(from)
            };
            nodes[Target[e]] = nodes[Target[e]] is { } sum ? sum + value : value;
        }
        return nodes[3] ?? zeros_like(input);
    }

    /// <summary>The path as an <see cref="Nb201Model"/> with the path's weights copied in.</summary>
    public override CandidateNetwork Subnet(Genotype path)
    {
        var model = Nb201Model.Build(_space, path, _options);
        CopyInto(model, key => SupernetKey(key, path));
        return model;
    }

    /// <summary>Where a key of <see cref="Nb201Model"/>'s state dict lives in this supernet.</summary>
    private string SupernetKey(string key, Genotype path)
    {
        if (key.StartsWith("stem_conv.", StringComparison.Ordinal)) return "stem.conv." + key["stem_conv.".Length..];
        if (key.StartsWith("stem_bn.", StringComparison.Ordinal)) return "stem.bn." + key["stem_bn.".Length..];
        if (key.StartsWith("last_bn.", StringComparison.Ordinal)) return "head.bn." + key["last_bn.".Length..];
        if (key.StartsWith("classifier.", StringComparison.Ordinal)) return "head." + key;
        // cells.{j}.edge{ts}.rest or cells.{j}.rest (a reduction block)
        var parts = key.Split('.', 4);
        var j = int.Parse(parts[1]);
        if (_reductions.ContainsKey(j)) return $"reduction{j}.{string.Join('.', parts[2..])}";
        var edge = _space.IndexOf(parts[2]);
        return $"{EdgeBlock(j, edge, _space.Operation(path, edge))}.{parts[3]}";
    }

    private string EdgeBlock(int cell, int edge, string op) => $"cell{cell}_{_space.Decisions[edge].Name}_{op}";

    /// <summary>Stem conv 3×3 (no bias) + BN, as in <see cref="Nb201Model"/>.</summary>
    private sealed class Stem : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv;
        private readonly BatchNorm2d bn;

        public Stem(long inputs, long channels) : base(nameof(Stem))
        {
            conv = nn.Conv2d(inputs, channels, 3, padding: 1, bias: false);
            bn = nn.BatchNorm2d(channels);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => bn.forward(conv.forward(input));
    }

    /// <summary>BN + ReLU + global average pool + linear classifier, as in <see cref="Nb201Model"/>.</summary>
    private sealed class Head : nn.Module<Tensor, Tensor>
    {
        private readonly BatchNorm2d bn;
        private readonly Linear classifier;

        public Head(long channels, int classes) : base(nameof(Head))
        {
            bn = nn.BatchNorm2d(channels);
            classifier = nn.Linear(channels, classes);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            var x = nn.functional.relu(bn.forward(input));
            return classifier.forward(nn.functional.adaptive_avg_pool2d(x, 1).flatten(1));
        }
    }
}
