namespace NasActors.Engine.Serialization;

/// <summary>
/// Marks a protocol whose messages never leave their process, so they need no manifest (the test that demands one
/// for every remote-capable message skips it). Say why in <paramref name="reason"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class LocalOnlyAttribute(string reason) : Attribute
{
    public string Reason { get; } = reason;
}
