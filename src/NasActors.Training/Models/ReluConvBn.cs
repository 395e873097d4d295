using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasActors.Training.Models;

/// <summary>
/// NAS-Bench-201's pre-activation convolution (<c>ReLUConvBN</c>): ReLU → Conv (no bias, padding k/2)
/// → BatchNorm. Used by the cell's nor_conv edges and by the residual reduction block.
/// State-dict keys: <c>conv.weight</c>, <c>bn.*</c>.
/// </summary>
public sealed class ReluConvBn : nn.Module<Tensor, Tensor>
{
    private readonly ObservedActivation relu;
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;

    public ReluConvBn(long inChannels, long outChannels, int kernel, int stride) : base(nameof(ReluConvBn))
    {
        relu = ObservedActivation.Relu();
        conv = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: kernel / 2, bias: false);
        bn = nn.BatchNorm2d(outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => bn.forward(conv.forward(relu.forward(input)));

    /// <inheritdoc cref="FlopCounter.Conv2d"/>
    public (long Flops, int Height, int Width) CountFlops(int height, int width) => FlopCounter.Conv2d(conv, height, width);
}
