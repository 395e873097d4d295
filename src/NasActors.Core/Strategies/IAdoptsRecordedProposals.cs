using NasActors.Core.Trials;

namespace NasActors.Core.Strategies;

/// <summary>
/// A strategy whose proposals come from elsewhere (other actors) and cannot be asked for again on
/// replay. A host recovering from its journal hands each recorded proposal back through
/// <see cref="Adopt"/> instead of re-asking, and the strategy takes it as pending under its trial id.
/// </summary>
public interface IAdoptsRecordedProposals
{
    void Adopt(TrialRequest trial);
}
