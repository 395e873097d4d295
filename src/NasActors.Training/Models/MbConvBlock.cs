using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasActors.Training.Models;

/// <summary>
/// MnasNet's mobile inverted bottleneck, exactly as <c>CnnSpace</c> documents it: 1×1 expansion
/// conv + BN + ReLU (only when the expansion is not 1); depthwise k×k conv (padding k/2, the block's
/// stride) + BN + ReLU; optional <see cref="SqueezeExcite"/> with reduction 4; 1×1 projection + BN;
/// identity residual when the stride is 1 and the channels are kept. Convolutions have no bias.
/// </summary>
public sealed class MbConvBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d? expand_conv;
    private readonly BatchNorm2d? expand_bn;
    private readonly ObservedActivation? expand_act;
    private readonly Conv2d depthwise_conv;
    private readonly BatchNorm2d depthwise_bn;
    private readonly ObservedActivation depthwise_act;
    private readonly SqueezeExcite? se;
    private readonly Conv2d project_conv;
    private readonly BatchNorm2d project_bn;
    private readonly bool _residual;

    public MbConvBlock(long inChannels, long outChannels, int kernel, int stride, int expansion, bool squeezeExcite)
        : base(nameof(MbConvBlock))
    {
        var mid = inChannels * expansion;
        if (expansion != 1)
        {
            expand_conv = nn.Conv2d(inChannels, mid, 1, bias: false);
            expand_bn = nn.BatchNorm2d(mid);
            expand_act = ObservedActivation.Relu();
        }
        depthwise_conv = nn.Conv2d(mid, mid, kernel, stride: stride, padding: kernel / 2, groups: mid, bias: false);
        depthwise_bn = nn.BatchNorm2d(mid);
        depthwise_act = ObservedActivation.Relu();
        if (squeezeExcite) se = new SqueezeExcite(mid, Math.Max(1, mid / 4));
        project_conv = nn.Conv2d(mid, outChannels, 1, bias: false);
        project_bn = nn.BatchNorm2d(outChannels);
        _residual = stride == 1 && inChannels == outChannels;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var x = input;
        if (expand_conv is not null) x = expand_act!.forward(expand_bn!.forward(expand_conv.forward(x)));
        x = depthwise_act.forward(depthwise_bn.forward(depthwise_conv.forward(x)));
        if (se is not null) x = se.forward(x);
        x = project_bn.forward(project_conv.forward(x));
        return _residual ? x + input : x;
    }

    public (long Flops, int Height, int Width) CountFlops(int height, int width)
    {
        long total = 0;
        if (expand_conv is not null) total += FlopCounter.Conv2d(expand_conv, height, width).Flops;
        var (depthwise, h, w) = FlopCounter.Conv2d(depthwise_conv, height, width);
        total += depthwise + (se?.CountFlops() ?? 0) + FlopCounter.Conv2d(project_conv, h, w).Flops;
        return (total, h, w);
    }
}
