using TorchSharp.Modules;

namespace NasActors.Training.Models;

/// <summary>
/// Analytic multiply-accumulate counts per layer type, from a layer's own settings and its input's
/// spatial size: no forward hooks, so counting is free and exact. The convention is the search
/// spaces' (see CnnSpace): convolutions (groups included, so depthwise costs k²·C per output pixel)
/// and linear layers are counted; BatchNorm, activations, pooling, additions and biases are not.
/// </summary>
public static class FlopCounter
{
    /// <summary>MACs of <paramref name="conv"/> on an input of <paramref name="height"/> × <paramref name="width"/>, and its output size.</summary>
    public static (long Flops, int Height, int Width) Conv2d(Conv2d conv, int height, int width)
    {
        // The spaces build every convolution with explicit padding; TorchSharp leaves `padding` null only for the
        // "same"/"valid" modes, which nothing here uses.
        var padding = conv.padding ?? throw new NotSupportedException("FlopCounter counts convolutions with explicit padding only");
        var outHeight = OutputSide(height, conv.kernel_size[0], conv.stride[0], padding[0], conv.dilation[0]);
        var outWidth = OutputSide(width, conv.kernel_size[1], conv.stride[1], padding[1], conv.dilation[1]);
        var perOutput = conv.in_channels / conv.groups * conv.kernel_size[0] * conv.kernel_size[1];
        return ((long)outHeight * outWidth * conv.out_channels * perOutput, outHeight, outWidth);
    }

    public static long Linear(Linear linear) => linear.in_features * linear.out_features;

    /// <summary>PyTorch's output size of a convolution or pooling window along one side.</summary>
    public static int OutputSide(int input, long kernel, long stride, long padding, long dilation = 1) =>
        (int)((input + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1);
}
