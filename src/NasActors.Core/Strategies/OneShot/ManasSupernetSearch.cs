namespace NasActors.Core.Strategies.OneShot;

/// <summary>MANAS with weight sharing: the agents learn on the supernet (Training's <c>Supernet/Nb201OneShot</c>); this retrains their cell.</summary>
public sealed class ManasSupernetSearch(StrategyContext context, ManasSupernetOptions options) : RetrainDerivedSearch(context)
{
    public const string Name = ManasSupernetOptions.Name;

    public ManasSupernetOptions Options { get; } = options;
}
