namespace NasActors.Core.Strategies.OneShot;

/// <summary>First-order DARTS: the supernet phase runs in the Training project (<c>Supernet/Nb201OneShot</c>); this retrains the derived cells.</summary>
public sealed class DartsSearch(StrategyContext context, DartsOptions options) : RetrainDerivedSearch(context)
{
    public const string Name = DartsOptions.Name;

    public DartsOptions Options { get; } = options;
}
