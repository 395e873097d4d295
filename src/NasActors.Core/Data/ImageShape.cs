namespace NasActors.Core.Data;

/// <summary>
/// The shape of one image of a dataset. Tabular image data stores each image as one flat row of
/// <see cref="Features"/> values in channel-major order (all of channel 0 row by row, then channel 1...),
/// the layout of MNIST CSVs and of CIFAR's binary files.
/// </summary>
public sealed record ImageShape(int Channels, int Height, int Width)
{
    public int Features => Channels * Height * Width;

    public override string ToString() => $"{Channels}×{Height}×{Width}";
}
