using NasActors.Core.Trials;

namespace NasActors.Core.Strategies;

/// <summary>
/// Ask/tell contract shared by every strategy. Asynchronous by design: outcomes arrive late,
/// out of order, failed or cancelled, and a duplicate of an outcome already told is ignored.
/// Deterministic for a seed when outcomes arrive in the same order; <see cref="SaveState"/>
/// captures everything (random stream included) so a restored strategy continues identically.
/// </summary>
public interface ISearchStrategy
{
    /// <summary>Next trial to run under id <paramref name="trialId"/>, or null for "nothing yet".</summary>
    TrialRequest? Ask(int trialId);

    void Tell(TrialOutcome outcome);

    IReadOnlyCollection<int> Pending { get; }

    /// <summary>Serialised state (JSON) for snapshots.</summary>
    string SaveState();

    void RestoreState(string state);
}
