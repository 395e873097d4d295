using NasActors.Engine.Searches;

namespace NasActors.Engine.Agents;

/// <summary>Typed id of MANAS agent <paramref name="Index"/> (one per decision) of a search; entity id <c>&lt;search&gt;/agent-&lt;i&gt;</c>.</summary>
public sealed record AgentId(SearchId Search, int Index)
{
    private const string Marker = "/agent-";

    public string Value => $"{Search.Value}{Marker}{Index}";

    public static AgentId Parse(string value)
    {
        var at = value.LastIndexOf(Marker, StringComparison.Ordinal);
        if (at < 0 || !int.TryParse(value.AsSpan(at + Marker.Length), out var index))
            throw new ArgumentException($"'{value}' is not an agent id (<search>{Marker}<n>)");
        return new AgentId(new SearchId(value[..at]), index);
    }

    public override string ToString() => Value;
}

/// <summary>Every message routed to an agent through the "agent" shard region.</summary>
public interface IAgentMessage
{
    AgentId AgentId { get; }
}

/// <summary>Registry key of the "agent" shard region.</summary>
public sealed class AgentRegion
{
    public const string Name = "agent";
}
