using NasActors.Core.Trials;

namespace NasActors.Core.Strategies;

/// <summary>
/// A strategy that can learn from results it did not propose (a spec's <c>warm_start:</c>): each is taught as a
/// finished trial under a negative id, before the first proposal. Strategies whose learning is tied to their own
/// proposals (a bracket's rung, a policy's sampled actions, a population slot) do not implement it.
/// </summary>
public interface IWarmStartable
{
    void WarmStart(TrialRequest known, TrialSucceeded outcome);
}
