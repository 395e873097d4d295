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

    /// <summary>
    /// The slot's trial (<paramref name="What"/>) died with the node's process: its in-flight marker was left behind. An
    /// infrastructure fault of the slot, counted towards its quarantine until a completed trial or a quarantine clears it.
    /// </summary>
    public sealed record TrialDiedWithProcess(string Slot, string Device, string What) : ITrainerRosterEvent;

    /// <summary>The slot completed a trial after faults: the trials it lost with earlier processes no longer count.</summary>
    public sealed record SlotFaultsCleared(string Slot) : ITrainerRosterEvent;
}

/// <summary>
/// The quarantined slots of a node and, per slot, the trials lost with the process since its last completed trial (the
/// roster's snapshot; v1 had no <paramref name="DiedWithProcess"/>).
/// </summary>
public sealed record TrainerRosterSnapshot(IReadOnlyList<TrainerRosterEvents.TrainerQuarantined> Quarantined,
    IReadOnlyList<TrainerRosterEvents.TrialDiedWithProcess>? DiedWithProcess = null);
