namespace NasActors.Engine.Serialization;

/// <summary>
/// A hand-written compact encoding of one message type, for the messages every trial sends across the network (JSON costs
/// them several times the CPU). Fields are written in a fixed order with <see cref="WireFormat"/>'s helpers; changing
/// the record means changing both functions and giving the type a new manifest version (the old one still read).
/// </summary>
public sealed record BinaryCodec<T>(Action<BinaryWriter, T> Write, Func<BinaryReader, T> Read) where T : class;
