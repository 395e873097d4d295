using NasActors.Engine.Searches;

namespace NasActors.Engine.Islands;

/// <summary>Typed id of island <paramref name="Index"/> of a search; entity id <c>&lt;search&gt;/island-&lt;i&gt;</c>.</summary>
public sealed record IslandId(SearchId Search, int Index)
{
    private const string Marker = "/island-";

    public string Value => $"{Search.Value}{Marker}{Index}";

    /// <summary>The short name members use in lineages (unique within the search).</summary>
    public string Local => $"island-{Index}";

    public static IslandId Parse(string value)
    {
        var at = value.LastIndexOf(Marker, StringComparison.Ordinal);
        if (at < 0 || !int.TryParse(value.AsSpan(at + Marker.Length), out var index))
            throw new ArgumentException($"'{value}' is not an island id (<search>{Marker}<n>)");
        return new IslandId(new SearchId(value[..at]), index);
    }

    public override string ToString() => Value;
}

/// <summary>Every message routed to an island through the "island" shard region.</summary>
public interface IIslandMessage
{
    IslandId IslandId { get; }
}

/// <summary>Registry key of the "island" shard region.</summary>
public sealed class IslandRegion
{
    public const string Name = "island";
}
