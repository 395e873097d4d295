using System.Reflection;
using NasActors.Engine.Serialization;

namespace NasActors.Node.Tests.Serialization;

/// <summary>
/// The types of an assembly that can cross the network: records nested in a public <c>…Protocol</c> class, types
/// implementing an <c>I…Message</c> or <c>I…Event</c> marker interface, and replies and snapshots (<c>…View</c>,
/// <c>…Status</c>, <c>…Snapshot</c>); protocols marked <see cref="LocalOnlyAttribute"/> are left out.
/// </summary>
public static class RemoteMessages
{
    public static IReadOnlyList<Type> In(Assembly assembly)
    {
        var types = assembly.GetTypes();
        var markers = types.Where(t => t is { IsInterface: true, IsPublic: true } && t.Name.StartsWith('I') && (t.Name.EndsWith("Message") || t.Name.EndsWith("Event"))).ToList();
        return types
            .Where(t => t is { IsClass: true, IsAbstract: false } && (t.IsPublic || t.IsNestedPublic) && !LocalOnly(t) && !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute)))
            .Where(t => InProtocol(t) || markers.Any(m => m.IsAssignableFrom(t)) || IsReplyOrSnapshot(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The remote-capable types of <paramref name="assembly"/> that no manifest table writes.</summary>
    public static IReadOnlyList<Type> WithoutManifest(Assembly assembly) =>
        In(assembly).Where(t => !NasManifests.All.Any(table => table.Writes(t))).ToList();

    private static bool InProtocol(Type t) =>
        t.DeclaringType is { IsPublic: true, IsAbstract: true, IsSealed: true } declaring && declaring.Name.EndsWith("Protocol");

    private static bool IsReplyOrSnapshot(Type t) =>
        t.DeclaringType is null && (t.Name.EndsWith("View") || t.Name.EndsWith("Status") || t.Name.EndsWith("Snapshot"));

    private static bool LocalOnly(Type? t) => t is not null && (t.IsDefined(typeof(LocalOnlyAttribute)) || LocalOnly(t.DeclaringType));
}
