using NasActors.Core.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasActors.Training.Models;

/// <summary>
/// A network built from a genotype: what the trainer, the metrics and the zero-cost proxies need
/// beyond <c>forward</c>. <see cref="InputShape"/> is one example's shape without the batch
/// dimension (features for an MLP, channels × height × width for image networks).
/// </summary>
public abstract class CandidateNetwork : nn.Module<Tensor, Tensor>
{
    protected CandidateNetwork(string name, long[] inputShape) : base(name)
    {
        InputShape = inputShape;
    }

    public long[] InputShape { get; }

    /// <summary>Trainable parameters of the built network (should equal the space's analytic count).</summary>
    public long CountParameters() => parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    /// <summary>
    /// Multiply-accumulates of one forward pass of one example, counted from the built layers with
    /// <see cref="FlopCounter"/> (convolutions and linear layers; see there for what is left out).
    /// </summary>
    public abstract long CountFlops();

    /// <summary>
    /// PyTorch's default initialisation (U(-1/√fan_in, 1/√fan_in) for the weights and biases of
    /// every Conv2d and Linear; BatchNorm at weight 1, bias 0) drawn from <paramref name="generator"/>,
    /// so the initial weights depend only on the trial's seed and not on the process-global generator.
    /// </summary>
    /// <remarks>
    /// nn.init.uniform_ takes a generator argument but (TorchSharp 0.107) ignores it, and
    /// nn.init.kaiming_uniform_ takes none, so draw with Tensor.uniform_, which passes it on.
    /// Modules are visited in registration order, so the draw order is fixed by the architecture.
    /// </remarks>
    public void Initialise(Generator generator) => Initialise(this, generator);

    /// <summary>The same initialisation for any module (supernets are no candidate networks).</summary>
    public static void Initialise(nn.Module network, Generator generator)
    {
        using var _ = no_grad();
        foreach (var (_, module) in network.named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    Uniform(conv.weight!, conv.bias, conv.in_channels / conv.groups * conv.kernel_size.Aggregate(1L, (a, k) => a * k), generator);
                    break;
                case Linear linear:
                    Uniform(linear.weight, linear.bias, linear.in_features, generator);
                    break;
                case BatchNorm2d bn:
                    bn.weight?.fill_(1);
                    bn.bias?.zero_();
                    break;
            }
        }
    }

    private static void Uniform(Tensor weight, Tensor? bias, long fanIn, Generator generator)
    {
        var bound = 1.0 / Math.Sqrt(fanIn);
        weight.uniform_(-bound, bound, generator);
        bias?.uniform_(-bound, bound, generator);
    }

    /// <summary>The input shape of one example for an image of <paramref name="shape"/>.</summary>
    protected static long[] ImageInput(ImageShape shape) => [shape.Channels, shape.Height, shape.Width];
}
