namespace NasActors.Core.Trials;

/// <summary>
/// A trial could not run for a reason that is not the trial's fault (disk full while saving a
/// checkpoint, an unreachable artifact store, a device error). The trainer hands such a trial back
/// instead of reporting it failed, so it never counts against <c>budget.max_failures</c>.
/// </summary>
public sealed class InfrastructureException(string message, Exception? inner = null) : Exception(message, inner);
