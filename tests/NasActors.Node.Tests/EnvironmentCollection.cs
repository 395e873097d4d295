namespace NasActors.Node.Tests;

/// <summary>Tests that set process environment variables run one at a time in this collection.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "process environment";
}
