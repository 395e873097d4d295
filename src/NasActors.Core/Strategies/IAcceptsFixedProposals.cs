using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies;

/// <summary>
/// A strategy whose next trial can be given a fixed architecture (a spec's <c>enqueue:</c>, Optuna's
/// <c>enqueue_trial</c>): it proposes as usual — its random stream, fidelity and seed advance as for its own
/// proposal — but the trial trains <c>genotype</c>, and the strategy learns that genotype's outcome. Replay adopts
/// the recorded trial the same way (<see cref="IAdoptsRecordedProposals"/>), so recovery needs nothing more.
/// </summary>
public interface IAcceptsFixedProposals
{
    /// <returns>the trial, or null when the strategy has nothing to propose yet (the fixed architecture waits)</returns>
    TrialRequest? AskFor(int trialId, Genotype genotype);
}
