using NasActors.Core.Trials;
using NasActors.Engine.Searches;

namespace NasActors.Engine.Serialization;

/// <summary>
/// The building blocks of <see cref="BinaryCodec{T}"/>s: the values hot messages share, each written the same way
/// everywhere. Doubles travel as their 8 bytes (NaN included: a diverged trial's metrics reach the coordinator);
/// an optional value is a presence byte, then the value.
/// </summary>
public static class WireFormat
{
    public static void Write(this BinaryWriter writer, SearchId id) => writer.Write(id.Value);

    public static SearchId ReadSearchId(this BinaryReader reader) => new(reader.ReadString());

    public static void WriteOptional(this BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null) writer.Write(value);
    }

    public static string? ReadOptionalString(this BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    public static void WriteOptional(this BinaryWriter writer, int? value)
    {
        writer.Write(value.HasValue);
        if (value is { } v) writer.Write(v);
    }

    public static int? ReadOptionalInt(this BinaryReader reader) => reader.ReadBoolean() ? reader.ReadInt32() : null;

    public static void Write(this BinaryWriter writer, TrialRecord trial)
    {
        writer.Write(trial.TrialId);
        writer.Write(trial.Values.Length);
        foreach (var value in trial.Values) writer.Write(value);
        writer.Write(trial.Epochs);
        writer.Write(trial.DataFraction);
        writer.Write(trial.Seed);
        writer.WriteOptional(trial.Resolution);
    }

    public static TrialRecord ReadTrialRecord(this BinaryReader reader)
    {
        var trialId = reader.ReadInt32();
        var values = new double[reader.ReadInt32()];
        for (var i = 0; i < values.Length; i++) values[i] = reader.ReadDouble();
        return new TrialRecord(trialId, values, reader.ReadInt32(), reader.ReadDouble(), reader.ReadInt64(), reader.ReadOptionalInt());
    }

    public static void Write(this BinaryWriter writer, TrialMetrics metrics)
    {
        writer.Write(metrics.ValidationAccuracy);
        writer.Write(metrics.ValidationLoss);
        writer.Write(metrics.Parameters);
        writer.Write(metrics.Seconds);
        // -1: no extra metrics (null), else their count, then name/value pairs
        writer.Write(metrics.Extra?.Count ?? -1);
        foreach (var (name, value) in metrics.Extra ?? new Dictionary<string, double>())
        {
            writer.Write(name);
            writer.Write(value);
        }
    }

    public static TrialMetrics ReadTrialMetrics(this BinaryReader reader)
    {
        var (accuracy, loss, parameters, seconds) = (reader.ReadDouble(), reader.ReadDouble(), reader.ReadInt64(), reader.ReadDouble());
        var count = reader.ReadInt32();
        Dictionary<string, double>? extra = null;
        if (count >= 0)
        {
            extra = new Dictionary<string, double>(count);
            for (var i = 0; i < count; i++) extra[reader.ReadString()] = reader.ReadDouble();
        }
        return new TrialMetrics(accuracy, loss, parameters, seconds, extra);
    }

    public static void WriteOptional(this BinaryWriter writer, TrialProgress? progress)
    {
        writer.Write(progress is not null);
        if (progress is null) return;
        writer.Write(progress.Epoch);
        writer.Write(progress.Batch);
    }

    public static TrialProgress? ReadOptionalProgress(this BinaryReader reader) =>
        reader.ReadBoolean() ? new TrialProgress(reader.ReadInt32(), reader.ReadInt32()) : null;

    public static void WriteOptional(this BinaryWriter writer, SearchSpecData? spec)
    {
        writer.Write(spec is not null);
        if (spec is null) return;
        writer.Write(spec.SpecJson);
        writer.Write(spec.Features);
        writer.Write(spec.Classes);
    }

    public static SearchSpecData? ReadOptionalSpec(this BinaryReader reader) =>
        reader.ReadBoolean() ? new SearchSpecData(reader.ReadString(), reader.ReadInt32(), reader.ReadInt32()) : null;

    public static void WriteList<T>(this BinaryWriter writer, IReadOnlyList<T> items, Action<BinaryWriter, T> write)
    {
        writer.Write(items.Count);
        foreach (var item in items) write(writer, item);
    }

    /// <summary>Reads a list <see cref="WriteList{T}"/> wrote; a count the remaining bytes cannot hold is refused, not allocated.</summary>
    public static IReadOnlyList<T> ReadList<T>(this BinaryReader reader, Func<BinaryReader, T> read)
    {
        var count = reader.ReadInt32();
        if (count < 0 || count > reader.BaseStream.Length - reader.BaseStream.Position)
            throw new InvalidDataException($"list of {count} items in a payload of {reader.BaseStream.Length - reader.BaseStream.Position} bytes left");
        var items = new List<T>(count);
        for (var i = 0; i < count; i++) items.Add(read(reader));
        return items;
    }
}
