namespace NasActors.Engine.Searches;

/// <summary>Registry key of the "search" shard region (Akka.Hosting's ActorRegistry is keyed by type).</summary>
public sealed class SearchRegion
{
    public const string Name = "search";
}
