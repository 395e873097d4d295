using System.Runtime.Serialization;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Engine.Serialization;
using NasActors.Engine.Tests.Support;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Engine.Tests.Serialization;

/// <summary>The binary encodings of the messages every trial sends: each field survives, older JSON versions still read, bad bytes are named.</summary>
public class HotMessageCodecTests : TestKit
{
    private static readonly SearchId Search = new("bench-1a2b3c4d");
    private static readonly TrialMetrics Metrics = new(0.91, double.NaN, 123_456, 2.5, new Dictionary<string, double> { ["latency_ms"] = 3.25, ["flops"] = double.PositiveInfinity });

    /// <summary>One message of each binary type, every optional field set and every value unlike its default (and one with the options absent).</summary>
    public static TheoryData<object> Samples =>
    [
        new RequestWork(Search, "node-2/trainer-17", IncludeSpec: true),
        new WorkAssigned(Search, new TrialRecord(1234, [1, 3, 0.5, -2], 7, 0.25, 987_654_321_012_345, Resolution: 16), 3, 45.5,
            new SearchSpecData("{\"name\":\"ünïcode\"}", 64, 10)) { Priority = 4 },
        new WorkAssigned(Search, new TrialRecord(5, [], 1, 1.0, -1), 1, 30, Spec: null),
        new NoWorkYet(Search),
        new Heartbeat(Search, "node-2/trainer-17", 1234, 3, new TrialProgress(2, 40)),
        new Heartbeat(Search, "node-2/trainer-17", 1234, 3, Progress: null),
        new ReportResult(Search, "node-2/trainer-17", 1234, 3, Metrics, NextWork: true),
        new ReportResult(Search, "t", 1, 1, new TrialMetrics(0.5, 0.7, 10, 0.1)),
        new ReportFailure(Search, "node-2/trainer-17", 1234, 3, "CUDA error: out of memory", FailureKind.Infrastructure),
        new ResultAccepted(Search, 1234, 3, Counted: true),
        new ReportResults(Search, "node-2/trainer-17", 9, [new TrialResult(1234, 3, Metrics), new TrialResult(1235, 1, new TrialMetrics(0.5, 0.7, 10, 0.1))], NextWork: true),
        new ReportResults(Search, "t", 1, [], NextWork: false),
        new WorkBatch(Search, 9, [new ResultAccepted(Search, 1234, 3, Counted: true), new ResultAccepted(Search, 1235, 1, Counted: false)],
            [new WorkAssigned(Search, new TrialRecord(1236, [1, 2], 7, 0.5, 42), 2, 30, Spec: null) { Priority = 2 }], Over: false),
        new WorkBatch(Search, 0, [], [], Over: true),
    ];

    private readonly ProtocolMessageSerializer _serializer;

    public HotMessageCodecTests() : base(AkkaConfig.InMemory) => _serializer = new ProtocolMessageSerializer((ExtendedActorSystem)Sys);

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_field_of_a_binary_message_survives_the_round_trip(object message)
    {
        var manifest = _serializer.Manifest(message);
        var bytes = _serializer.ToBinary(message);
        Assert.NotEqual((byte)'{', bytes[0]); // not JSON
        var back = _serializer.FromBinary(bytes, manifest);
        Assert.IsType(message.GetType(), back);
        // JSON writes every public property (init-only ones and nested records included): equal JSON, equal fields.
        Assert.Equal(Json(message), Json(back));
    }

    [Fact]
    public void Every_binary_type_has_a_round_trip_sample()
    {
        var sampled = ((IEnumerable<object[]>)Samples).Select(row => row[0].GetType()).ToHashSet();
        Assert.NotEmpty(NasManifests.Protocol.BinaryTypes);
        Assert.All(NasManifests.Protocol.BinaryTypes, type => Assert.Contains(type, sampled));
    }

    [Fact]
    public void A_binary_message_is_less_than_half_its_json()
    {
        var report = new ReportResult(Search, "node-2/trainer-17", 1234, 3, new TrialMetrics(0.91, 0.2, 123_456, 2.5), NextWork: true);
        Assert.True(_serializer.ToBinary(report).Length * 2 < Encoding.UTF8.GetByteCount(Json(report)));
    }

    [Fact]
    public void Version_1_json_of_each_exchange_message_still_reads()
    {
        Assert.Equal(new RequestWork(Search, "t", true),
            Read("""{"SearchId":{"Value":"bench-1a2b3c4d"},"TrainerId":"t","IncludeSpec":true}""", "request-work.v1"));
        Assert.Equal(new ResultAccepted(Search, 4, 2, false),
            Read("""{"SearchId":{"Value":"bench-1a2b3c4d"},"TrialId":4,"LeaseEpoch":2,"Counted":false}""", "result-accepted.v1"));
        Assert.Equal(new NoWorkYet(Search), Read("""{"SearchId":{"Value":"bench-1a2b3c4d"}}""", "no-work-yet.v1"));
        Assert.Equal(new Heartbeat(Search, "t", 4, 2, new TrialProgress(1, 9)),
            Read("""{"SearchId":{"Value":"bench-1a2b3c4d"},"TrainerId":"t","TrialId":4,"LeaseEpoch":2,"Progress":{"Epoch":1,"Batch":9}}""", "heartbeat.v1"));
        Assert.Equal(new ReportFailure(Search, "t", 4, 2, "boom", FailureKind.Fatal),
            Read("""{"SearchId":{"Value":"bench-1a2b3c4d"},"TrainerId":"t","TrialId":4,"LeaseEpoch":2,"Reason":"boom","Kind":"Fatal"}""", "report-failure.v1"));
        var report = (ReportResult)Read("""
            {"SearchId":{"Value":"bench-1a2b3c4d"},"TrainerId":"t","TrialId":4,"LeaseEpoch":2,
             "Metrics":{"ValidationAccuracy":0.5,"ValidationLoss":"NaN","Parameters":10,"Seconds":1.5,"Extra":null},"NextWork":true}
            """, "report-result.v1");
        Assert.Equal((4, 2, true, 10L), (report.TrialId, report.LeaseEpoch, report.NextWork, report.Metrics.Parameters));
        Assert.True(double.IsNaN(report.Metrics.ValidationLoss));
        var work = (WorkAssigned)Read("""
            {"SearchId":{"Value":"bench-1a2b3c4d"},"Trial":{"TrialId":4,"Values":[1,2],"Epochs":3,"DataFraction":0.5,"Seed":7,"Resolution":null},
             "LeaseEpoch":2,"LeaseSeconds":30,"Spec":null,"Priority":2}
            """, "work-assigned.v1");
        Assert.Equal((4, 2, 2, null), (work.Trial.TrialId, work.LeaseEpoch, work.Priority, work.Spec));
        Assert.Equal([1.0, 2.0], work.Trial.Values);
    }

    [Fact]
    public void An_unknown_manifest_is_refused_by_name()
    {
        var e = Assert.Throws<SerializationException>(() => _serializer.FromBinary([1, 2, 3], "report-result.v99"));
        Assert.Contains("'report-result.v99'", e.Message);
    }

    [Fact]
    public void Truncated_or_overlong_binary_payloads_are_refused_with_their_manifest()
    {
        var bytes = _serializer.ToBinary(new ResultAccepted(Search, 1234, 3, true));
        var truncated = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes[..^2], "result-accepted.v2"));
        Assert.StartsWith("result-accepted.v2:", truncated.Message);
        var overlong = Assert.Throws<SerializationException>(() => _serializer.FromBinary([.. bytes, 0], "result-accepted.v2"));
        Assert.Contains("1 bytes left over", overlong.Message);
    }

    [Fact]
    public void A_list_count_the_payload_cannot_hold_is_refused_before_anything_is_allocated()
    {
        var bytes = _serializer.ToBinary(new WorkBatch(Search, 0, [], [], Over: true));
        // The accepted list's count follows the search id and the batch number; claim a billion items.
        var countAt = bytes.Length - 1 - 4 - 4;
        BitConverter.GetBytes(1_000_000_000).CopyTo(bytes, countAt);
        var refused = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "work-batch.v1"));
        Assert.Contains("list of 1000000000 items", refused.Message);
    }

    private object Read(string json, string manifest) => _serializer.FromBinary(Encoding.UTF8.GetBytes(json), manifest);

    private static string Json(object value) => JsonSerializer.Serialize(value, value.GetType(), NasManifests.Protocol.Json);
}
