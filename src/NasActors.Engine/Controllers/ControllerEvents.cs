namespace NasActors.Engine.Controllers;

/// <summary>Events of an RL controller (manifests in <see cref="Serialization.EntityEventSerializer"/>).</summary>
public interface IControllerEvent;

public static class ControllerEvents
{
    public sealed record ControllerStarted(ControllerSetup Setup) : IControllerEvent;

    public sealed record ArchitectureSampled(int Ticket, double[] Values, long Seed) : IControllerEvent;

    /// <summary>A reward as it arrived (null: failed); replaying these in order rebuilds the policy exactly.</summary>
    public sealed record RewardReceived(int Ticket, double? Reward) : IControllerEvent;
}

/// <summary>Snapshot of a controller: the REINFORCE state (policy, baseline, version, RNG) plus its outstanding samples.</summary>
public sealed record ControllerSnapshot(
    ControllerSetup Setup,
    int NextTicket,
    int RewardsReceived,
    string Strategy,
    IReadOnlyList<ControllerEvents.ArchitectureSampled> Outstanding);
