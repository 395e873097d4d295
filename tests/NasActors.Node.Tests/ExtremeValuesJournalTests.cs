using System.Text.Json;
using Akka.Actor;
using Akka.Persistence;
using Microsoft.Data.Sqlite;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Node.Hosting;
using static NasActors.Engine.Searches.SearchEvents;

namespace NasActors.Node.Tests;

/// <summary>
/// Every search event type, and the snapshot, with extreme values (the largest and smallest doubles, long.MaxValue
/// parameters, unicode and very long strings) through the real serializer into a real journal, recovered equal.
/// </summary>
public abstract class ExtremeValuesJournalTests : IDisposable
{
    protected readonly string _store = Directory.CreateTempSubdirectory("nas-extreme-").FullName;

    protected abstract NodeOptions Options(string store);

    public virtual void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_store, recursive: true);
    }

    private static readonly string Unicode = "Zürich-東京-🚀-\u0000-\"quoted\"-\\-\n-";
    private static readonly string Long = string.Concat(Enumerable.Repeat(Unicode, 5_000));

    private static TrialRecord Record => new(int.MaxValue, [double.MaxValue, double.Epsilon, -double.MaxValue, -double.Epsilon, 0], int.MaxValue, double.Epsilon, long.MaxValue, int.MaxValue);

    private static TrialMetrics Metrics => new(double.MaxValue, double.Epsilon, long.MaxValue, -double.MaxValue,
        new Dictionary<string, double> { [Unicode] = double.Epsilon, ["min"] = double.MinValue, [Long[..1000]] = 1e-300 });

    public static IReadOnlyList<ISearchEvent> Events =>
    [
        new SearchStarted(Unicode, new SearchSpecData(Long, int.MaxValue, int.MaxValue), DateTimeOffset.MaxValue),
        new TrialProposed(Record),
        new TrialLeased(int.MaxValue, Unicode, int.MaxValue),
        new TrialLeaseExpired(int.MaxValue),
        new TrialHandedBack(int.MaxValue, int.MaxValue, Long),
        new TrialCompleted(int.MaxValue, Unicode, Metrics, -double.MaxValue, int.MaxValue),
        new TrialFailed(int.MinValue, Unicode, Long),
        new TrialQuarantined(int.MaxValue, int.MaxValue, Long),
        new SearchFinished(int.MaxValue, false, Long),
        new ProposalsBuffered(Unicode, [new Proposal(int.MaxValue, [double.MaxValue, double.Epsilon], long.MinValue)]),
        new SearchPaused(Long),
        new SearchResumed(),
        new SearchCancelled(Unicode)
    ];

    private static SearchSnapshot Snapshot => new(
        Unicode, SearchPhase.Paused, new SearchSpecData(Long, int.MaxValue, 0), DateTimeOffset.MinValue, int.MaxValue, int.MaxValue, int.MaxValue,
        int.MaxValue, Long,
        [new LedgerEntryData(Record, TrialState.Completed, Unicode, int.MaxValue, Metrics, double.MaxValue, Long, int.MaxValue, int.MaxValue, true)],
        [int.MaxValue, 0], Long);

    [Fact]
    public async Task Every_search_event_and_the_snapshot_survive_the_journal_with_extreme_values()
    {
        await using (var node = await NasNode.StartAsync(Options(_store)))
        {
            var writer = node.System.ActorOf(Props.Create(() => new EventLog("extreme-events")));
            Assert.Equal("written", await writer.Ask<string>(new EventLog.Write(Events, null), TimeSpan.FromSeconds(30)));
            var snapshots = node.System.ActorOf(Props.Create(() => new EventLog("extreme-snapshot")));
            Assert.Equal("written", await snapshots.Ask<string>(new EventLog.Write([], Snapshot), TimeSpan.FromSeconds(30)));
        }

        // A fresh node reads them back from the store.
        await using (var node = await NasNode.StartAsync(Options(_store)))
        {
            var events = await node.System.ActorOf(Props.Create(() => new EventLog("extreme-events"))).Ask<EventLog.Recovered>(new EventLog.Read(), TimeSpan.FromSeconds(30));
            Assert.Equal(Events.Select(Json), events.Events.Select(Json));
            var snapshot = await node.System.ActorOf(Props.Create(() => new EventLog("extreme-snapshot"))).Ask<EventLog.Recovered>(new EventLog.Read(), TimeSpan.FromSeconds(30));
            Assert.Equal(Json(Snapshot), Json(snapshot.Snapshot!));
        }
    }

    // Records holding arrays and dictionaries compare by reference; compare their JSON instead.
    private static string Json(object o) => JsonSerializer.Serialize(o, o.GetType());

    /// <summary>Persists what it is told to, and answers with what it recovered.</summary>
    private sealed class EventLog : ReceivePersistentActor
    {
        public sealed record Write(IReadOnlyList<ISearchEvent> Events, SearchSnapshot? Snapshot);
        public sealed record Read;
        public sealed record Recovered(IReadOnlyList<ISearchEvent> Events, object? Snapshot);

        private readonly List<ISearchEvent> _recovered = [];
        private object? _snapshot;
        private IActorRef? _waiting;

        public EventLog(string persistenceId)
        {
            PersistenceId = persistenceId;
            Recover<SnapshotOffer>(offer => _snapshot = offer.Snapshot);
            Recover<ISearchEvent>(_recovered.Add);
            Command<Write>(write =>
            {
                _waiting = Sender;
                if (write.Snapshot is { } snapshot) SaveSnapshot(snapshot);
                else PersistAll(write.Events, e => { if (ReferenceEquals(e, write.Events[^1])) _waiting.Tell("written"); });
            });
            Command<SaveSnapshotSuccess>(_ => _waiting!.Tell("written"));
            Command<SaveSnapshotFailure>(failed => _waiting!.Tell(failed.Cause.ToString()));
            Command<Read>(_ => Sender.Tell(new Recovered(_recovered, _snapshot)));
        }

        public override string PersistenceId { get; }
    }
}

public sealed class SqliteExtremeValuesJournalTests : ExtremeValuesJournalTests
{
    protected override NodeOptions Options(string store) =>
        new() { StoreDirectory = store, LogFile = Path.Combine(store, "logs", "node.log") };
}

public sealed class PostgresExtremeValuesJournalTests(PostgresServer postgres) : ExtremeValuesJournalTests, IClassFixture<PostgresServer>
{
    protected override NodeOptions Options(string store) => new()
    {
        StoreDirectory = store, Storage = StorageKind.PostgreSql, ConnectionString = postgres.ConnectionString,
        LogFile = Path.Combine(store, "logs", "node.log")
    };
}
