using NasActors.Engine.Islands;

namespace NasActors.Engine.Members;

/// <summary>Typed id of a population member; entity id <c>&lt;search&gt;/island-&lt;i&gt;/member-&lt;ticket&gt;</c>.</summary>
public sealed record MemberId(IslandId Island, int Ticket)
{
    private const string Marker = "/member-";

    public string Value => $"{Island.Value}{Marker}{Ticket}";

    /// <summary>Name within the search, as lineages list it.</summary>
    public string Local => $"{Island.Local}{Marker}{Ticket}";

    public static MemberId Parse(string value)
    {
        var at = value.LastIndexOf(Marker, StringComparison.Ordinal);
        if (at < 0 || !int.TryParse(value.AsSpan(at + Marker.Length), out var ticket))
            throw new ArgumentException($"'{value}' is not a member id (<island>{Marker}<n>)");
        return new MemberId(IslandId.Parse(value[..at]), ticket);
    }

    public override string ToString() => Value;
}

/// <summary>Every message routed to a member through the "member" shard region.</summary>
public interface IMemberMessage
{
    MemberId MemberId { get; }
}

/// <summary>Registry key of the "member" shard region.</summary>
public sealed class MemberRegion
{
    public const string Name = "member";
}
