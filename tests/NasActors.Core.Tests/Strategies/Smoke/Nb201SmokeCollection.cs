namespace NasActors.Core.Tests.Strategies.Smoke;

/// <summary>The smoke's assertions and its report share one <see cref="Nb201SmokeFixture"/>, so each strategy runs its 30 seeds once.</summary>
[CollectionDefinition(Name)]
public sealed class Nb201SmokeCollection : ICollectionFixture<Nb201SmokeFixture>
{
    public const string Name = "nb201-smoke";
}
