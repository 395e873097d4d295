using NasActors.Engine.Searches;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Engine.Serialization;

/// <summary>
/// Compact encodings of the messages each trial sends between a trainer and its search's coordinator (work requests,
/// leases, heartbeats, reports and their answers): registered in <see cref="NasManifests.Protocol"/> with
/// <see cref="ManifestTable.Add{T}(string, BinaryCodec{T})"/>. Every other message stays JSON.
/// </summary>
public static class HotMessageCodecs
{
    public static readonly BinaryCodec<RequestWork> RequestWork = new(
        (w, m) => { w.Write(m.SearchId); w.Write(m.TrainerId); w.Write(m.IncludeSpec); },
        r => new RequestWork(r.ReadSearchId(), r.ReadString(), r.ReadBoolean()));

    public static readonly BinaryCodec<WorkAssigned> WorkAssigned = new(
        (w, m) => { w.Write(m.SearchId); w.Write(m.Trial); w.Write(m.LeaseEpoch); w.Write(m.LeaseSeconds); w.WriteOptional(m.Spec); w.Write(m.Priority); },
        r => new WorkAssigned(r.ReadSearchId(), r.ReadTrialRecord(), r.ReadInt32(), r.ReadDouble(), r.ReadOptionalSpec()) { Priority = r.ReadInt32() });

    public static readonly BinaryCodec<NoWorkYet> NoWorkYet = new((w, m) => w.Write(m.SearchId), r => new NoWorkYet(r.ReadSearchId()));

    public static readonly BinaryCodec<Heartbeat> Heartbeat = new(
        (w, m) => { w.Write(m.SearchId); w.Write(m.TrainerId); w.Write(m.TrialId); w.Write(m.LeaseEpoch); w.WriteOptional(m.Progress); },
        r => new Heartbeat(r.ReadSearchId(), r.ReadString(), r.ReadInt32(), r.ReadInt32(), r.ReadOptionalProgress()));

    public static readonly BinaryCodec<ReportResult> ReportResult = new(
        (w, m) => { w.Write(m.SearchId); w.Write(m.TrainerId); w.Write(m.TrialId); w.Write(m.LeaseEpoch); w.Write(m.Metrics); w.Write(m.NextWork); },
        r => new ReportResult(r.ReadSearchId(), r.ReadString(), r.ReadInt32(), r.ReadInt32(), r.ReadTrialMetrics(), r.ReadBoolean()));

    public static readonly BinaryCodec<ReportFailure> ReportFailure = new(
        (w, m) => { w.Write(m.SearchId); w.Write(m.TrainerId); w.Write(m.TrialId); w.Write(m.LeaseEpoch); w.Write(m.Reason); w.Write((int)m.Kind); },
        r => new ReportFailure(r.ReadSearchId(), r.ReadString(), r.ReadInt32(), r.ReadInt32(), r.ReadString(), ReadKind(r)));

    public static readonly BinaryCodec<ResultAccepted> ResultAccepted = new(
        (w, m) => { w.Write(m.SearchId); w.Write(m.TrialId); w.Write(m.LeaseEpoch); w.Write(m.Counted); },
        r => new ResultAccepted(r.ReadSearchId(), r.ReadInt32(), r.ReadInt32(), r.ReadBoolean()));

    /// <summary>A lease-ahead trainer's coalesced report: every finished trial under the epoch it ran with.</summary>
    public static readonly BinaryCodec<ReportResults> ReportResults = new(
        (w, m) =>
        {
            w.Write(m.SearchId); w.Write(m.TrainerId); w.Write(m.Batch);
            w.WriteList(m.Results, (writer, result) => { writer.Write(result.TrialId); writer.Write(result.LeaseEpoch); writer.Write(result.Metrics); });
            w.Write(m.NextWork);
        },
        r => new ReportResults(r.ReadSearchId(), r.ReadString(), r.ReadInt32(),
            r.ReadList(reader => new TrialResult(reader.ReadInt32(), reader.ReadInt32(), reader.ReadTrialMetrics())), r.ReadBoolean()));

    /// <summary>The answer to a coalesced report: its acceptances and the leases the trainer holds, in the single messages' encodings.</summary>
    public static readonly BinaryCodec<WorkBatch> WorkBatch = new(
        (w, m) => { w.Write(m.SearchId); w.Write(m.Batch); w.WriteList(m.Accepted, ResultAccepted.Write); w.WriteList(m.Leases, WorkAssigned.Write); w.Write(m.Over); },
        r => new WorkBatch(r.ReadSearchId(), r.ReadInt32(), r.ReadList(ResultAccepted.Read), r.ReadList(WorkAssigned.Read), r.ReadBoolean()));

    private static FailureKind ReadKind(BinaryReader reader)
    {
        var kind = (FailureKind)reader.ReadInt32();
        return Enum.IsDefined(kind) ? kind : throw new InvalidDataException($"unknown failure kind {(int)kind}");
    }
}
