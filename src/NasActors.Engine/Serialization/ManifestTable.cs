using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NasActors.Engine.Serialization;

/// <summary>
/// One serializer area: its Akka identifier and binding name, and the table of string manifests (<c>name.vN</c>) ↔ record
/// types it writes and reads. A record is written under its current manifest; older manifests of it still read, each
/// through an optional upcaster to today's record. To change a record: give it a new manifest with <see cref="Add{T}(string)"/>,
/// keep the old one with <see cref="Reads{T}"/>, and add the old bytes to the tests. Payloads are JSON, except for the
/// types registered with a <see cref="BinaryCodec{T}"/> (the messages every trial sends, where JSON's CPU shows).
/// </summary>
/// <param name="name">the serializer's name in the actor system's configuration</param>
/// <param name="identifier">the serializer id stored with every journal row: never changes once data exists</param>
/// <param name="allowNonFinite">
/// false for journals: a NaN or infinity is refused (JSON has none, and recovery could not read it); true for messages,
/// which may carry a diverged trial's NaN metrics to the coordinator that turns them into a failure.
/// </param>
public sealed class ManifestTable(string name, int identifier, bool allowNonFinite = false)
{
    private readonly Dictionary<Type, string> _manifests = new();
    private readonly Dictionary<string, (Type Type, Func<object, object> Upcast)> _readers = new();
    private readonly Dictionary<Type, Action<BinaryWriter, object>> _binaryWriters = new();
    private readonly Dictionary<string, Func<BinaryReader, object>> _binaryReaders = new();

    public string Name { get; } = name;

    public int Identifier { get; } = identifier;

    /// <summary>Payload options without an actor system: enums by name, numbers as the area allows.</summary>
    public JsonSerializerOptions Json { get; } = Options(allowNonFinite, converter: null);

    /// <summary>The types this area writes, each bound to its serializer.</summary>
    public IReadOnlyCollection<Type> Types => _manifests.Keys;

    /// <summary>The types this area writes with a <see cref="BinaryCodec{T}"/> rather than JSON.</summary>
    public IReadOnlyCollection<Type> BinaryTypes => _binaryWriters.Keys;

    /// <summary>Every manifest this area reads: current ones and older versions.</summary>
    public IReadOnlyCollection<string> AllManifests => _readers.Keys;

    /// <summary>Writes <typeparamref name="T"/> under <paramref name="manifest"/> (and reads it back).</summary>
    public ManifestTable Add<T>(string manifest) where T : class
    {
        if (!_manifests.TryAdd(typeof(T), manifest)) throw new ArgumentException($"{Name}: {typeof(T).Name} has two manifests");
        return Reads<T>(manifest);
    }

    /// <summary>
    /// Writes <typeparamref name="T"/> under <paramref name="manifest"/> with <paramref name="codec"/> instead of JSON (and
    /// reads it back). Its JSON manifest, if it had one, stays readable with <see cref="Reads{T}"/>.
    /// </summary>
    public ManifestTable Add<T>(string manifest, BinaryCodec<T> codec) where T : class
    {
        Add<T>(manifest);
        _binaryWriters.Add(typeof(T), (writer, value) => codec.Write(writer, (T)value));
        _binaryReaders.Add(manifest, codec.Read);
        return this;
    }

    /// <summary>Reads an older binary <paramref name="manifest"/> of <typeparamref name="T"/> with the codec it was written with.</summary>
    public ManifestTable Reads<T>(string manifest, BinaryCodec<T> codec) where T : class
    {
        Reads<T>(manifest);
        _binaryReaders.Add(manifest, codec.Read);
        return this;
    }

    /// <summary>Reads an older <paramref name="manifest"/> of <typeparamref name="T"/>, converted by <paramref name="upcast"/> when given.</summary>
    public ManifestTable Reads<T>(string manifest, Func<T, T>? upcast = null) where T : class
    {
        if (!_readers.TryAdd(manifest, (typeof(T), upcast is null ? value => value : value => upcast((T)value))))
            throw new ArgumentException($"{Name}: manifest '{manifest}' is used twice");
        return this;
    }

    public bool Writes(Type type) => _manifests.ContainsKey(type);

    public string Manifest(Type type) =>
        _manifests.TryGetValue(type, out var manifest) ? manifest : throw new ArgumentException($"{type.Name} has no manifest in the {Name} serializer");

    /// <summary>
    /// JSON of the record. In a journal area, a non-finite number is a bug (the coordinator checks metrics before
    /// deciding): refusing the write (the journal rejects it) beats storing something recovery cannot read.
    /// </summary>
    public byte[] Encode(object value, JsonSerializerOptions json)
    {
        if (_binaryWriters.TryGetValue(value.GetType(), out var write))
        {
            using var stream = new MemoryStream(128);
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) write(writer, value);
            return stream.ToArray();
        }
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), json);
        }
        catch (ArgumentException e) when (e.Message.Contains("infinity", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("NaN", StringComparison.Ordinal))
        {
            throw new SerializationException($"{Manifest(value.GetType())}: refusing to write a non-finite number (NaN or infinity) to the journal: {value}", e);
        }
    }

    /// <summary>Decodes a payload without an actor system (read-only readers of the journal); older versions are upcast here.</summary>
    public object Decode(byte[] bytes, string manifest) => Decode(bytes, manifest, Json);

    public object Decode(byte[] bytes, string manifest, JsonSerializerOptions json)
    {
        if (!_readers.TryGetValue(manifest, out var reader))
            throw new SerializationException($"unknown {Name} manifest '{manifest}': written by a newer NasActors?");
        if (_binaryReaders.TryGetValue(manifest, out var read)) return ReadBinary(bytes, manifest, read);
        var value = JsonSerializer.Deserialize(bytes, reader.Type, json) ?? throw new SerializationException($"empty payload for {manifest}");
        return reader.Upcast(value);
    }

    /// <summary>A binary payload must be read to its last byte: anything else is a codec out of step with its manifest.</summary>
    private static object ReadBinary(byte[] bytes, string manifest, Func<BinaryReader, object> read)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false), System.Text.Encoding.UTF8);
        try
        {
            var value = read(reader);
            if (reader.BaseStream.Position != bytes.Length)
                throw new SerializationException($"{manifest}: {bytes.Length - reader.BaseStream.Position} bytes left over after the message");
            return value;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or FormatException)
        {
            throw new SerializationException($"{manifest}: not a valid payload ({e.Message})", e);
        }
    }

    /// <summary>The area's options plus <paramref name="converter"/> (actor references, which need the actor system).</summary>
    public JsonSerializerOptions With(JsonConverter converter) => Options(allowNonFinite, converter);

    private static JsonSerializerOptions Options(bool allowNonFinite, JsonConverter? converter)
    {
        var options = new JsonSerializerOptions
        {
            Converters = { new JsonStringEnumConverter() },
            NumberHandling = allowNonFinite ? JsonNumberHandling.AllowNamedFloatingPointLiterals : JsonNumberHandling.Strict
        };
        if (converter is not null) options.Converters.Add(converter);
        return options;
    }
}
