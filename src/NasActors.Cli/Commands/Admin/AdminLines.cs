using NasActors.Engine.Trainers.Roster;
using NasActors.Node.Http;

namespace NasActors.Cli.Commands.Admin;

/// <summary>
/// The palette's text: pbm's shapes (<c>address | [roles] | status |</c>, fields between bars, a closing <c>Count:</c> line)
/// so an admin's habits and grep patterns carry over.
/// </summary>
public static class AdminLines
{
    public static string Member(ClusterMemberInfo m) =>
        $"{m.Address} | [{string.Join(",", m.Roles)}] | {m.Status} |{(m.Reachable ? "" : " unreachable")}";

    public static IEnumerable<string> Members(IReadOnlyCollection<ClusterMemberInfo> members) =>
        [.. members.Select(Member), $"Count: {members.Count} nodes"];

    /// <summary>
    /// pbm's region-stats line: <c>address | [roles] | status |  | version [coordinator](type) | shards: N | entities: M</c>
    /// (the empty field is pbm's too; the coordinator mark only on the node hosting the type's shard coordinator).
    /// </summary>
    public static IEnumerable<string> RegionStats(string type, IReadOnlyList<RegionStatsInfo> regions) =>
        regions.Select(r => $"{r.Address} | [{string.Join(",", r.Roles)}] | {r.Status} |  | {r.Version}{(r.Coordinator ? $" [coordinator]({type})" : "")} | shards: {r.Shards} | entities: {r.Entities}");

    public static string Search(SearchAdminInfo s) =>
        $"{s.SearchId} | {s.Phase} | {s.Completed}/{s.Budget} completed | {s.Failed} failed | {s.InFlight} in flight | priority {s.Priority} |";

    public static IEnumerable<string> SearchDetail(SearchAdminInfo s) =>
        [Search(s), $"  name: {s.Name ?? "-"}", $"  best: {s.Best ?? "-"}", .. s.Message is { } m ? new[] { $"  note: {m}" } : []];

    public static string Trainer(TrainerView t)
    {
        var work = t.TrialId is { } trial ? $"search {t.SearchId} trial {trial}{(t.Epoch is { } e ? $" epoch {e}" : "")}" : "-";
        var quarantine = t.Phase == "quarantined"
            ? $" until {(t.QuarantinedUntil is { } u ? u.ToString("u") : "released")}: {t.QuarantineReason}"
            : t.QuarantineReason is { } pending ? $" ({pending})" : "";
        return $"{t.TrainerId} | {t.Node} | {t.Device} | {t.Phase}{quarantine} | {work} | failures {t.Failures} ({t.ConsecutiveFailures} faults in a row) |";
    }

    public static IEnumerable<string> Trainers(IReadOnlyCollection<TrainerView> trainers, IReadOnlyList<string> unanswered) =>
        [.. trainers.Select(Trainer), .. unanswered.Select(a => $"{a} | no answer |"), $"Count: {trainers.Count} trainers"];

    public static IEnumerable<string> Hierarchy(IEnumerable<ActorInfo> actors) =>
        actors.Select(a => new string(' ', 2 * a.Depth) + a.Path);
}
