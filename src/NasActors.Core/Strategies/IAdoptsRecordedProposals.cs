using NasActors.Core.Trials;

namespace NasActors.Core.Strategies;

/// <summary>
/// A strategy that recovers from recorded decisions rather than by re-deriving them. A host recovering from its
/// journal hands each recorded proposal back through <see cref="Adopt"/> instead of asking and comparing, and the
/// strategy takes it as pending under its trial id. Strategies whose proposals come from elsewhere (other actors)
/// cannot be asked again at all; every <see cref="StrategyBase"/> adopts too, so a code or library change that alters
/// what it would propose cannot make an old journal unrecoverable.
/// </summary>
public interface IAdoptsRecordedProposals
{
    void Adopt(TrialRequest trial);
}
