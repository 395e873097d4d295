using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Engine.Serialization;
using NasActors.Engine.Tests.Support;
using static NasActors.Engine.Searches.SearchEvents;

namespace NasActors.Engine.Tests.Serialization;

public class SearchEventSerializerTests : TestKit
{
    private readonly SearchEventSerializer _serializer;

    public SearchEventSerializerTests() : base(AkkaConfig.InMemory) => _serializer = new SearchEventSerializer((ExtendedActorSystem)Sys);

    public static TheoryData<object> Events => new()
    {
        new SearchStarted("s", TestSpecs.Data(TestSpecs.Mlp(4)), new DateTimeOffset(2026, 11, 28, 1, 2, 3, TimeSpan.Zero)),
        new TrialProposed(new TrialRecord(3, [1, 0, 2, 0, 1, 0, 0.005], 10, 0.5, 1234567890123)),
        new TrialProposed(new TrialRecord(4, [1, 0, 2, 0, 1, 0, 0.005], 10, 0.5, 77, Resolution: 16)),
        new TrialLeased(3, "host-1-t0", 2),
        new TrialLeaseExpired(3),
        new TrialHandedBack(3, 2, "preempted"),
        new TrialQuarantined(3, 3, "quarantined as a poison trial: 3 attempts ended without a result (lease expired/process died)"),
        new TrialFailed(3, "host-1-t0", "out of memory"),
        new SearchFinished(7, true, "completed 40 trials"),
        new SearchPaused("maintenance"),
        new SearchResumed(),
        new SearchCancelled("budget cut"),
        new SubnetsRanked([new NasActors.Engine.Supernets.RankedSubnet([1, 0, 2, 0, 1, 0, 0.005], "depth=2|...", 0.91)],
            new NasActors.Engine.Supernets.SupernetRunStats(300, 76800, 1200, 3, 1, 34.5, 2.25, RecoveredRounds: 120)),
        new SearchBudgetChanged(120, "admin 10.0.0.7"),
        new SearchPriorityChanged(3, "admin 10.0.0.7"),
        new TrialCached(9, 4, 0.8125),
        new TrialAwaitsTwin(10, 4)
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void Every_event_round_trips(object e)
    {
        var copy = _serializer.FromBinary(_serializer.ToBinary(e), _serializer.Manifest(e));
        Assert.Equal(Normalise(e), Normalise(copy));
    }

    [Fact]
    public void Completed_trials_round_trip_with_their_metrics()
    {
        var e = new TrialCompleted(5, "t", new TrialMetrics(0.9, 0.2, 1000, 3.5, new Dictionary<string, double> { ["epoch_seconds"] = 0.3 }), 0.9, 2);
        var copy = (TrialCompleted)_serializer.FromBinary(_serializer.ToBinary(e), _serializer.Manifest(e));
        Assert.Equal(e.Metrics.Extra!["epoch_seconds"], copy.Metrics.Extra!["epoch_seconds"]);
        Assert.Equal(e with { Metrics = copy.Metrics }, copy);
        Assert.Equal(e.Metrics with { Extra = null }, copy.Metrics with { Extra = null });
    }

    /// <summary>
    /// Bytes as version 1 wrote them. Recovery of journals written by older releases must keep
    /// working: never edit these strings; add new ones when a schema gets a new version.
    /// </summary>
    [Theory]
    [InlineData("trial-proposed.v1", """{"Trial":{"TrialId":2,"Values":[0,1,0,0,1,2,0.01],"Epochs":5,"DataFraction":1,"Seed":99}}""")]
    [InlineData("trial-leased.v1", """{"TrialId":2,"TrainerId":"vm-12-t0"}""")]
    [InlineData("trial-lease-expired.v1", """{"TrialId":2}""")]
    [InlineData("trial-completed.v1", """{"TrialId":1,"TrainerId":"vm-9612-t1","Metrics":{"ValidationAccuracy":0.9721448467966574,"ValidationLoss":0.10838231444358826,"Parameters":2410,"Seconds":0.3564259,"Extra":{"epoch_seconds":0.02624632,"train_loss":0.1029079043318068}},"Objective":0.9721448467966574}""")]
    [InlineData("trial-failed.v1", """{"TrialId":4,"TrainerId":"t","Reason":"boom"}""")]
    [InlineData("search-finished.v1", """{"BestTrialId":25,"Succeeded":true,"Message":"completed 40 trials"}""")]
    [InlineData("search-paused.v1", """{"Reason":"maintenance"}""")]
    [InlineData("search-resumed.v1", """{}""")]
    [InlineData("search-cancelled.v1", """{"Reason":"budget cut"}""")]
    [InlineData("search-budget-changed.v1", """{"Trials":120,"By":"admin 127.0.0.1"}""")]
    [InlineData("search-priority-changed.v1", """{"Priority":3,"By":"admin 127.0.0.1"}""")]
    public void Version_1_payloads_still_read(string manifest, string json)
    {
        var e = _serializer.FromBinary(Encoding.UTF8.GetBytes(json), manifest);
        Assert.IsAssignableFrom<ISearchEvent>(e);
        // The same event, written today under its current version.
        Assert.Equal(manifest[..manifest.LastIndexOf(".v", StringComparison.Ordinal)], _serializer.Manifest(e)[..manifest.LastIndexOf(".v", StringComparison.Ordinal)]);
    }

    [Fact]
    public void Version_1_leases_read_without_an_epoch_and_version_1_completions_with_none_counted()
    {
        var leased = (TrialLeased)_serializer.FromBinary(Encoding.UTF8.GetBytes("""{"TrialId":2,"TrainerId":"vm-12-t0"}"""), "trial-leased.v1");
        Assert.Equal(new TrialLeased(2, "vm-12-t0", 0), leased);
        var completed = (TrialCompleted)_serializer.FromBinary(Encoding.UTF8.GetBytes(
            """{"TrialId":1,"TrainerId":"t","Metrics":{"ValidationAccuracy":0.5,"ValidationLoss":0.1,"Parameters":10,"Seconds":1,"Extra":null},"Objective":0.5}"""), "trial-completed.v1");
        Assert.Equal(0, completed.LeaseEpoch);
        Assert.Equal("trial-leased.v2", _serializer.Manifest(leased));
        Assert.Equal("trial-completed.v2", _serializer.Manifest(completed));
    }

    [Fact]
    public void A_non_finite_number_is_refused_with_a_clear_error()
    {
        var e = new TrialCompleted(5, "t", new TrialMetrics(0.9, double.NaN, 1000, 3.5), 0.9, 1);
        var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => _serializer.ToBinary(e));
        Assert.Contains("non-finite", error.Message);
        Assert.Contains("trial-completed.v2", error.Message);
    }

    [Fact]
    public void A_version_1_trial_without_a_resolution_reads_as_the_datas_own_resolution()
    {
        var e = (TrialProposed)_serializer.FromBinary(
            Encoding.UTF8.GetBytes("""{"Trial":{"TrialId":2,"Values":[0,1,0,0,1,2,0.01],"Epochs":5,"DataFraction":1,"Seed":99}}"""), "trial-proposed.v1");
        Assert.Null(e.Trial.Resolution);
        Assert.Equal(5, e.Trial.Epochs);
    }

    [Fact]
    public void An_unknown_manifest_is_a_clear_error()
    {
        var error = Assert.ThrowsAny<Exception>(() => _serializer.FromBinary("{}"u8.ToArray(), "trial-teleported.v9"));
        Assert.Contains("trial-teleported.v9", error.Message);
    }

    /// <summary>A snapshot as version 1 wrote it (no attempt counts): the attempts lost are derived from the leases.</summary>
    [Fact]
    public void A_version_1_snapshot_reads_with_attempts_derived_from_its_leases()
    {
        const string json = """
            {"SearchId":"s","Phase":"Running","Spec":null,"StartedAt":"2026-01-01T00:00:00+00:00","NextTrialId":4,"Completed":1,"Failed":0,"BestTrialId":1,"Message":null,
             "Entries":[
              {"Trial":{"TrialId":1,"Values":[0],"Epochs":1,"DataFraction":1,"Seed":1},"State":"Completed","TrainerId":"a","Leases":3,"Metrics":{"ValidationAccuracy":0.5,"ValidationLoss":1,"Parameters":10,"Seconds":1,"Extra":null},"Objective":0.5,"FailureReason":null},
              {"Trial":{"TrialId":2,"Values":[0],"Epochs":1,"DataFraction":1,"Seed":2},"State":"Queued","TrainerId":null,"Leases":2,"Metrics":null,"Objective":null,"FailureReason":null},
              {"Trial":{"TrialId":3,"Values":[0],"Epochs":1,"DataFraction":1,"Seed":3},"State":"Leased","TrainerId":"b","Leases":1,"Metrics":null,"Objective":null,"FailureReason":null}],
             "Requeued":[2],"StrategyState":null}
            """;
        var snapshot = (SearchSnapshot)_serializer.FromBinary(Encoding.UTF8.GetBytes(json), "search-snapshot.v1");
        Assert.Equal([2, 2, 0], snapshot.Entries.Select(e => e.LostAttempts));
        Assert.All(snapshot.Entries, e => Assert.Equal(0, e.CountedEpoch));
        Assert.Equal("search-snapshot.v6", _serializer.Manifest(snapshot));
    }

    /// <summary>A version 2 snapshot has no operator overrides: the spec's budget and priority hold.</summary>
    [Fact]
    public void A_version_2_snapshot_reads_without_overrides_and_version_3_keeps_them()
    {
        const string json = """
            {"SearchId":"s","Phase":"Paused","Spec":null,"StartedAt":"2026-01-01T00:00:00+00:00","NextTrialId":1,"Completed":0,"Failed":0,"BestTrialId":null,"Message":null,
             "Entries":[],"Requeued":[],"StrategyState":null}
            """;
        var old = (SearchSnapshot)_serializer.FromBinary(Encoding.UTF8.GetBytes(json), "search-snapshot.v2");
        Assert.Null(old.BudgetOverride);
        Assert.Null(old.PriorityOverride);
        var changed = old with { BudgetOverride = 50, PriorityOverride = 3 };
        var copy = (SearchSnapshot)_serializer.FromBinary(_serializer.ToBinary(changed), _serializer.Manifest(changed));
        Assert.Equal((50, 3), (copy.BudgetOverride!.Value, copy.PriorityOverride!.Value));
    }

    /// <summary>A version 3 snapshot holds no enqueued architectures (null: derived from the spec); version 4 keeps the queue.</summary>
    [Fact]
    public void A_version_3_snapshot_reads_without_a_queue_and_version_4_keeps_it()
    {
        const string json = """
            {"SearchId":"s","Phase":"Running","Spec":null,"StartedAt":"2026-01-01T00:00:00+00:00","NextTrialId":1,"Completed":0,"Failed":0,"BestTrialId":null,"Message":null,
             "Entries":[],"Requeued":[],"StrategyState":null,"BudgetOverride":40,"PriorityOverride":null}
            """;
        var old = (SearchSnapshot)_serializer.FromBinary(Encoding.UTF8.GetBytes(json), "search-snapshot.v3");
        Assert.Null(old.Enqueued);
        Assert.Equal(40, old.BudgetOverride);
        var queued = old with { Enqueued = [[0, 1, 2], [1, 0, 0.5]] };
        var copy = (SearchSnapshot)_serializer.FromBinary(_serializer.ToBinary(queued), _serializer.Manifest(queued));
        Assert.Equal("search-snapshot.v6", _serializer.Manifest(queued));
        Assert.Equal([[0, 1, 2], [1, 0, 0.5]], copy.Enqueued!);
    }

    /// <summary>A version 4 snapshot (written before budget.cache) reads with no ledger line answered from the cache; version 5 keeps the source.</summary>
    [Fact]
    public void A_version_4_snapshot_reads_without_cached_trials_and_version_5_keeps_their_source()
    {
        const string json = """
            {"SearchId":"s","Phase":"Running","Spec":null,"StartedAt":"2026-01-01T00:00:00+00:00","NextTrialId":3,"Completed":1,"Failed":0,"BestTrialId":1,"Message":null,
             "Entries":[
              {"Trial":{"TrialId":1,"Values":[0],"Epochs":1,"DataFraction":1,"Seed":1,"Resolution":null},"State":"Completed","TrainerId":"a","Leases":1,"Metrics":{"ValidationAccuracy":0.5,"ValidationLoss":1,"Parameters":10,"Seconds":1,"Extra":null},"Objective":0.5,"FailureReason":null,"LostAttempts":0,"CountedEpoch":1,"Quarantined":false},
              {"Trial":{"TrialId":2,"Values":[0],"Epochs":1,"DataFraction":1,"Seed":2,"Resolution":null},"State":"Leased","TrainerId":"b","Leases":1,"Metrics":null,"Objective":null,"FailureReason":null,"LostAttempts":0,"CountedEpoch":0,"Quarantined":false}],
             "Requeued":[],"StrategyState":null,"BudgetOverride":null,"PriorityOverride":null,"Enqueued":[]}
            """;
        var old = (SearchSnapshot)_serializer.FromBinary(Encoding.UTF8.GetBytes(json), "search-snapshot.v4");
        Assert.Equal(2, old.Entries.Count);
        Assert.All(old.Entries, e => Assert.Null(e.CachedFrom));
        var cached = old with { Entries = [old.Entries[0], old.Entries[1] with { State = TrialState.Completed, CachedFrom = 1 }] };
        Assert.Equal("search-snapshot.v6", _serializer.Manifest(cached));
        var copy = (SearchSnapshot)_serializer.FromBinary(_serializer.ToBinary(cached), _serializer.Manifest(cached));
        Assert.Equal([null, 1], copy.Entries.Select(e => e.CachedFrom));
    }

    /// <summary>A version 5 snapshot (written before repeats waited for a twin in training) reads with no waiting trial; version 6 keeps the twin.</summary>
    [Fact]
    public void A_version_5_snapshot_reads_without_waiting_trials_and_version_6_keeps_their_twin()
    {
        const string json = """
            {"SearchId":"s","Phase":"Running","Spec":null,"StartedAt":"2026-01-01T00:00:00+00:00","NextTrialId":3,"Completed":0,"Failed":0,"BestTrialId":null,"Message":null,
             "Entries":[
              {"Trial":{"TrialId":1,"Values":[0],"Epochs":1,"DataFraction":1,"Seed":1,"Resolution":null},"State":"Leased","TrainerId":"a","Leases":1,"Metrics":null,"Objective":null,"FailureReason":null,"LostAttempts":0,"CountedEpoch":0,"Quarantined":false,"CachedFrom":null},
              {"Trial":{"TrialId":2,"Values":[0],"Epochs":1,"DataFraction":1,"Seed":2,"Resolution":null},"State":"Leased","TrainerId":"b","Leases":1,"Metrics":null,"Objective":null,"FailureReason":null,"LostAttempts":0,"CountedEpoch":0,"Quarantined":false,"CachedFrom":null}],
             "Requeued":[],"StrategyState":null,"BudgetOverride":null,"PriorityOverride":null,"Enqueued":[]}
            """;
        var old = (SearchSnapshot)_serializer.FromBinary(Encoding.UTF8.GetBytes(json), "search-snapshot.v5");
        Assert.All(old.Entries, e => Assert.Null(e.AwaitsTrialId));
        var waiting = old with { Entries = [old.Entries[0], old.Entries[1] with { State = TrialState.Queued, TrainerId = null, Leases = 0, AwaitsTrialId = 1 }] };
        Assert.Equal("search-snapshot.v6", _serializer.Manifest(waiting));
        var copy = (SearchSnapshot)_serializer.FromBinary(_serializer.ToBinary(waiting), _serializer.Manifest(waiting));
        Assert.Equal([null, 1], copy.Entries.Select(e => e.AwaitsTrialId));
    }

    // Records holding arrays compare by reference; compare their JSON instead.
    private static string Normalise(object e) => System.Text.Json.JsonSerializer.Serialize(e, e.GetType());
}
