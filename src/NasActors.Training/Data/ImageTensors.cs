using NasActors.Core.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NasActors.Training.Data;

/// <summary>Image views of tabular data, and resizing as a fidelity (smaller images train faster).</summary>
public static class ImageTensors
{
    /// <summary>N × (C·H·W) rows as N × C × H × W images (a view: no copy; rows are channel-major, see <see cref="ImageShape"/>).</summary>
    public static Tensor View(Tensor rows, ImageShape shape)
    {
        if (rows.dim() != 2 || rows.shape[1] != shape.Features)
            throw new ArgumentException($"rows of shape [{string.Join(", ", rows.shape)}] are not images of {shape} ({shape.Features} values each)", nameof(rows));
        return rows.view(rows.shape[0], shape.Channels, shape.Height, shape.Width);
    }

    /// <summary>Bilinear resize of N × C × H × W images to <paramref name="height"/> × <paramref name="width"/> (the same tensor when already that size).</summary>
    public static Tensor Resize(Tensor images, int height, int width)
    {
        if (images.shape[2] == height && images.shape[3] == width) return images.alias();
        using var _ = no_grad();
        return nn.functional.interpolate(images, [height, width], mode: InterpolationMode.Bilinear, align_corners: false);
    }
}
