using NasActors.Core.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace NasActors.Training.Models;

/// <summary>
/// One NAS-Bench-201 cell (the benchmark's <c>InferCell</c>): node 0 is the input, node i (1..3) is
/// the sum of op(node j) over the edges j → i, and node 3 is the output. Channels and size are
/// kept. Ops: none (contributes zero, no module), skip_connect (identity), nor_conv_1x1 / nor_conv_3x3
/// (<see cref="ReluConvBn"/>), avg_pool_3x3 (stride 1, padding 1, padding not counted).
/// State-dict keys: <c>edge{target}{source}.*</c>, matching the space's decision names.
/// </summary>
public sealed class Nb201Cell : nn.Module<Tensor, Tensor>
{
    private static readonly int[] Source = [0, 0, 1, 0, 1, 2];
    private static readonly int[] Target = [1, 2, 2, 3, 3, 3];

    private readonly string[] _operations;
    private readonly nn.Module<Tensor, Tensor>?[] _edges;

    public Nb201Cell(IReadOnlyList<string> operations, long channels) : base(nameof(Nb201Cell))
    {
        if (operations.Count != Nb201Space.Edges)
            throw new ArgumentException($"a cell has {Nb201Space.Edges} edges, got {operations.Count} operations", nameof(operations));
        _operations = operations.ToArray();
        _edges = new nn.Module<Tensor, Tensor>?[Nb201Space.Edges];
        for (var e = 0; e < Nb201Space.Edges; e++)
        {
            _edges[e] = Operation(_operations[e], channels);
            if (_edges[e] is { } module) register_module($"edge{Target[e]}{Source[e]}", module);
        }
    }

    public override Tensor forward(Tensor input)
    {
        var nodes = new Tensor?[4];
        nodes[0] = input;
        for (var e = 0; e < Nb201Space.Edges; e++)
        {
            // A 'none' edge, or an edge from a node that is itself all zeros, adds nothing.
            if (_operations[e] == "none" || nodes[Source[e]] is not { } from) continue;
            var value = _edges[e]!.forward(from);
            nodes[Target[e]] = nodes[Target[e]] is { } sum ? sum + value : value;
        }
        return (nodes[3] ?? zeros_like(input));
    }

    /// <summary>MACs of the cell's convolutions on a map of the given size (pools and sums are not counted).</summary>
    public long CountFlops(int height, int width)
    {
        long total = 0;
        foreach (var edge in _edges)
            if (edge is ReluConvBn conv) total += conv.CountFlops(height, width).Flops;
        return total;
    }

    private static nn.Module<Tensor, Tensor>? Operation(string name, long channels) => name switch
    {
        "none" => null,
        "skip_connect" => nn.Identity(),
        "nor_conv_1x1" => new ReluConvBn(channels, channels, 1, 1),
        "nor_conv_3x3" => new ReluConvBn(channels, channels, 3, 1),
        "avg_pool_3x3" => nn.AvgPool2d((3, 3), (1, 1), (1, 1), count_include_pad: false),
        _ => throw new ArgumentException($"unknown NAS-Bench-201 operation '{name}' (expected {string.Join(", ", Nb201Space.Operations)})", nameof(name))
    };
}
