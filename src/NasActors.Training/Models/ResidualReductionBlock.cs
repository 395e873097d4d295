using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasActors.Training.Models;

/// <summary>
/// NAS-Bench-201's <c>ResNetBasicblock</c> with stride 2, placed between stages: it halves the map
/// and changes the channels. Main path: ReLUConvBN 3×3 stride 2, then ReLUConvBN 3×3; shortcut:
/// 2×2 average pool (ceil mode), then a 1×1 conv (no bias, no BN); output = main + shortcut.
/// </summary>
public sealed class ResidualReductionBlock : nn.Module<Tensor, Tensor>
{
    private readonly ReluConvBn conv_a;
    private readonly ReluConvBn conv_b;
    private readonly AvgPool2d pool;
    private readonly Conv2d shortcut;

    public ResidualReductionBlock(long inChannels, long outChannels) : base(nameof(ResidualReductionBlock))
    {
        conv_a = new ReluConvBn(inChannels, outChannels, 3, 2);
        conv_b = new ReluConvBn(outChannels, outChannels, 3, 1);
        // ceil_mode: an odd side n pools to ceil(n/2), as the stride-2 conv maps it (MNIST: 28 → 14 → 7 → 4);
        // on the benchmark's even sides it changes nothing.
        pool = nn.AvgPool2d((2, 2), (2, 2), ceil_mode: true);
        shortcut = nn.Conv2d(inChannels, outChannels, 1, bias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var main = conv_b.forward(conv_a.forward(input));
        return main.add_(shortcut.forward(pool.forward(input)));
    }

    public (long Flops, int Height, int Width) CountFlops(int height, int width)
    {
        var (a, h, w) = conv_a.CountFlops(height, width);
        var (b, _, _) = conv_b.CountFlops(h, w);
        var (s, _, _) = FlopCounter.Conv2d(shortcut, h, w);
        return (a + b + s, h, w);
    }
}
