namespace NasActors.Engine.Trainers.Roster;

/// <summary>Events of a node's trainer roster journal (<c>trainer-roster-&lt;node&gt;</c>), serialized by the entities area.</summary>
public interface ITrainerRosterEvent;

public static class TrainerRosterEvents
{
    /// <summary>
    /// A trainer slot (t0, t1… of this node: stable across restarts, unlike trainer ids) and its device are out of
    /// rotation until <paramref name="Until"/> (null: until released). <paramref name="By"/>: "automatic" or the operator.
    /// </summary>
    public sealed record TrainerQuarantined(string Slot, string Device, DateTimeOffset? Until, string Reason, string By) : ITrainerRosterEvent;

    public sealed record TrainerReleased(string Slot, string By) : ITrainerRosterEvent;
}

/// <summary>The quarantined slots of a node (the roster's snapshot).</summary>
public sealed record TrainerRosterSnapshot(IReadOnlyList<TrainerRosterEvents.TrainerQuarantined> Quarantined);
