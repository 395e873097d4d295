using System.Buffers.Binary;
using System.IO.Compression;

namespace NasActors.Core.Data;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST (big-endian header: two zero bytes, a type byte,
/// the number of dimensions, one 32-bit size per dimension, then the values), gzipped or raw.
/// Only unsigned-byte data (type 0x08) is accepted: that is what those datasets ship.
/// </summary>
public static class IdxReader
{
    /// <summary>The folder Debian's <c>dataset-fashion-mnist</c> package installs to.</summary>
    public const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>
    /// Images of an idx3 file and labels of an idx1 file as a dataset of flat rows scaled to [0, 1]
    /// (pixel / 255), with the image shape (1 channel). <paramref name="limit"/> keeps the first rows only.
    /// </summary>
    public static (TabularDataset Data, ImageShape Shape) Load(string imagesPath, string labelsPath, int? limit = null)
    {
        var (imageDims, pixels) = Read(imagesPath);
        var (labelDims, labelBytes) = Read(labelsPath);
        if (imageDims.Length != 3) throw new DatasetException($"{imagesPath}: expected an idx3 image file (count × rows × columns), found {imageDims.Length} dimension(s)");
        if (labelDims.Length != 1) throw new DatasetException($"{labelsPath}: expected an idx1 label file, found {labelDims.Length} dimension(s)");
        if (imageDims[0] != labelDims[0])
            throw new DatasetException($"{imagesPath} holds {imageDims[0]} images but {labelsPath} holds {labelDims[0]} labels");
        var count = Math.Min(imageDims[0], limit ?? int.MaxValue);
        var shape = new ImageShape(1, imageDims[1], imageDims[2]);
        var features = new float[count][];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            var row = features[i] = new float[shape.Features];
            var offset = (long)i * shape.Features;
            for (var p = 0; p < row.Length; p++) row[p] = pixels[offset + p] / 255f;
            labels[i] = labelBytes[i];
        }
        return (TabularDataset.FromRows(features, labels, imagesPath), shape);
    }

    /// <summary>The labels file next to an images file, by the MNIST naming (<c>train-images-idx3-ubyte.gz</c> → <c>train-labels-idx1-ubyte.gz</c>).</summary>
    public static string LabelsPathFor(string imagesPath)
    {
        var name = Path.GetFileName(imagesPath);
        return name.Contains("images-idx3", StringComparison.Ordinal)
            ? Path.Combine(Path.GetDirectoryName(imagesPath) ?? ".", name.Replace("images-idx3", "labels-idx1", StringComparison.Ordinal))
            : throw new DatasetException($"{imagesPath}: cannot tell the labels file from this name; set dataset.labels");
    }

    /// <summary>Dimensions and raw bytes of one IDX file.</summary>
    public static (int[] Dimensions, byte[] Values) Read(string path)
    {
        if (!File.Exists(path))
        {
            var hint = path.StartsWith(FashionMnistFolder, StringComparison.Ordinal)
                ? " (install it with: apt-get install dataset-fashion-mnist)"
                : " (MNIST-format files; Fashion-MNIST: apt-get install dataset-fashion-mnist installs them to " + FashionMnistFolder + ")";
            throw new DatasetException($"IDX file '{path}' does not exist{hint}");
        }
        using var file = File.OpenRead(path);
        using Stream stream = IsGzip(path) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var buffered = new BufferedStream(stream, 1 << 16);
        Span<byte> magic = stackalloc byte[4];
        buffered.ReadExactly(magic);
        if (magic[0] != 0 || magic[1] != 0 || magic[3] is 0 or > 4)
            throw new DatasetException($"{path}: not an IDX file (bad magic number)");
        if (magic[2] != 0x08) throw new DatasetException($"{path}: IDX value type 0x{magic[2]:x2} is not supported (only unsigned bytes, 0x08)");
        var dims = new int[magic[3]];
        Span<byte> size = stackalloc byte[4];
        long total = 1;
        for (var d = 0; d < dims.Length; d++)
        {
            buffered.ReadExactly(size);
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(size);
            total *= dims[d];
        }
        var values = new byte[total];
        try
        {
            buffered.ReadExactly(values);
        }
        catch (EndOfStreamException)
        {
            throw new DatasetException($"{path}: truncated; the header promises {total} values");
        }
        return (dims, values);
    }

    private static bool IsGzip(string path)
    {
        using var file = File.OpenRead(path);
        return file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
    }
}
