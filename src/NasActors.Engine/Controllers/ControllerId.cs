using NasActors.Engine.Searches;

namespace NasActors.Engine.Controllers;

/// <summary>Typed id of a search's RL controller; entity id <c>&lt;search&gt;/controller</c>.</summary>
public sealed record ControllerId(SearchId Search)
{
    private const string Suffix = "/controller";

    public string Value => $"{Search.Value}{Suffix}";

    public static ControllerId Parse(string value) =>
        value.EndsWith(Suffix, StringComparison.Ordinal)
            ? new ControllerId(new SearchId(value[..^Suffix.Length]))
            : throw new ArgumentException($"'{value}' is not a controller id (<search>{Suffix})");

    public override string ToString() => Value;
}

/// <summary>Every message routed to a controller through the "controller" shard region.</summary>
public interface IControllerMessage
{
    ControllerId ControllerId { get; }
}

/// <summary>Registry key of the "controller" shard region.</summary>
public sealed class ControllerRegion
{
    public const string Name = "controller";
}
