using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasActors.Training.Models;

/// <summary>
/// Squeeze-and-excitation as the CNN space counts it: global average pool, 1×1 conv C → r (bias),
/// ReLU, 1×1 conv r → C (bias), sigmoid, and the input scaled channel-wise by the result.
/// </summary>
public sealed class SqueezeExcite : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d reduce;
    private readonly Conv2d expand;
    private readonly ObservedActivation act;

    public SqueezeExcite(long channels, long reduced) : base(nameof(SqueezeExcite))
    {
        reduce = nn.Conv2d(channels, reduced, 1);
        expand = nn.Conv2d(reduced, channels, 1);
        act = ObservedActivation.Relu();
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var scale = nn.functional.adaptive_avg_pool2d(input, 1);
        scale = nn.functional.sigmoid(expand.forward(act.forward(reduce.forward(scale))));
        return input * scale;
    }

    /// <summary>MACs of the two 1×1 convolutions, which act on the pooled 1×1 map.</summary>
    public long CountFlops() => FlopCounter.Conv2d(reduce, 1, 1).Flops + FlopCounter.Conv2d(expand, 1, 1).Flops;
}
