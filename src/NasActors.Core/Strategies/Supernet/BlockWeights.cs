using System.Text;

namespace NasActors.Core.Strategies.Supernet;

/// <summary>One named float tensor of a supernet block: its shape and values (row-major).</summary>
public sealed record NamedTensor(string Name, long[] Shape, float[] Values);

/// <summary>
/// The weights of one choice block of a supernet as plain arrays, so the shard that owns them can
/// merge pushes without TorchSharp. Byte form (<see cref="ToBytes"/>): "NASB", format version 1,
/// tensor count, then per tensor its name, rank, dimensions and little-endian float32 values.
/// </summary>
public sealed class BlockWeights
{
    private const uint Magic = 0x4253414E; // "NASB" read little-endian
    private const int FormatVersion = 1;

    public BlockWeights(IReadOnlyList<NamedTensor> tensors)
    {
        foreach (var t in tensors)
            if (t.Shape.Aggregate(1L, (a, d) => a * d) != t.Values.Length)
                throw new ArgumentException($"tensor '{t.Name}': shape [{string.Join(", ", t.Shape)}] does not hold {t.Values.Length} values");
        Tensors = tensors;
    }

    public IReadOnlyList<NamedTensor> Tensors { get; }

    public long Count => Tensors.Sum(t => (long)t.Values.Length);

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(Tensors.Count);
            foreach (var t in Tensors)
            {
                writer.Write(t.Name);
                writer.Write(t.Shape.Length);
                foreach (var d in t.Shape) writer.Write(d);
                writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.Values.AsSpan()));
            }
        }
        return stream.ToArray();
    }

    public static BlockWeights FromBytes(byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        if (bytes.Length < 12 || reader.ReadUInt32() != Magic)
            throw new FormatException("not supernet block weights (the bytes do not start with NASB)");
        var version = reader.ReadInt32();
        if (version != FormatVersion)
            throw new FormatException($"supernet block weights of format version {version}; this build reads version {FormatVersion}");
        var tensors = new NamedTensor[reader.ReadInt32()];
        for (var i = 0; i < tensors.Length; i++)
        {
            var name = reader.ReadString();
            var shape = new long[reader.ReadInt32()];
            for (var d = 0; d < shape.Length; d++) shape[d] = reader.ReadInt64();
            var values = new float[shape.Aggregate(1L, (a, s) => a * s)];
            var read = reader.Read(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            if (read != values.Length * sizeof(float)) throw new FormatException($"supernet block weights end inside tensor '{name}'");
            tensors[i] = new NamedTensor(name, shape, values);
        }
        return new BlockWeights(tensors);
    }

    /// <summary><c>this - baseline</c>, tensor by tensor (same names and shapes required).</summary>
    public BlockWeights Minus(BlockWeights baseline) => Combine(baseline, (a, b) => a - b);

    /// <summary><c>this + scale · delta</c>, tensor by tensor (same names and shapes required).</summary>
    public BlockWeights PlusScaled(BlockWeights delta, float scale) => Combine(delta, (a, d) => a + scale * d);

    private BlockWeights Combine(BlockWeights other, Func<float, float, float> op)
    {
        if (other.Tensors.Count != Tensors.Count)
            throw new ArgumentException($"blocks differ: {Tensors.Count} tensors against {other.Tensors.Count}");
        var result = new NamedTensor[Tensors.Count];
        for (var i = 0; i < Tensors.Count; i++)
        {
            var (a, b) = (Tensors[i], other.Tensors[i]);
            if (a.Name != b.Name || !a.Shape.SequenceEqual(b.Shape))
                throw new ArgumentException($"blocks differ: tensor '{a.Name}' [{string.Join(", ", a.Shape)}] against '{b.Name}' [{string.Join(", ", b.Shape)}]");
            var values = new float[a.Values.Length];
            for (var v = 0; v < values.Length; v++) values[v] = op(a.Values[v], b.Values[v]);
            result[i] = new NamedTensor(a.Name, a.Shape, values);
        }
        return new BlockWeights(result);
    }
}
