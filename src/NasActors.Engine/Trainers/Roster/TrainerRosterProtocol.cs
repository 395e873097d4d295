namespace NasActors.Engine.Trainers.Roster;

/// <summary>
/// What the admin API asks a node's <see cref="TrainerRoster"/> (at <c>/user/trainers</c> on every trainer node). Every
/// command is answered with the <see cref="TrainersView"/> of the trainers it touched (none: the trainer is not on this node).
/// </summary>
public static class TrainerRosterProtocol
{
    public sealed record GetTrainers;

    /// <summary>Quarantine a trainer until released (or <paramref name="Release"/> it); <paramref name="By"/> is who asked.</summary>
    public sealed record QuarantineTrainer(string TrainerId, bool Release, string By);

    /// <summary>Drain one trainer, or every trainer of the node (<paramref name="TrainerId"/> null). <paramref name="Wait"/>: answer once drained.</summary>
    public sealed record DrainTrainers(string? TrainerId, bool Wait, string By);
}

/// <summary>A node's trainers as one line each of <c>nas admin trainer list</c>.</summary>
public sealed record TrainersView(string Node, IReadOnlyList<TrainerView> Trainers);

/// <summary>
/// One trainer: where it runs, what it does (phase, search, trial, latest epoch), its failures, and its quarantine
/// (reason and end; no end: until released).
/// </summary>
public sealed record TrainerView(
    string Node,
    string TrainerId,
    string Device,
    string Phase,
    string? SearchId,
    int? TrialId,
    int? Epoch,
    int ConsecutiveFailures,
    int Failures,
    string? QuarantineReason,
    DateTimeOffset? QuarantinedUntil);
