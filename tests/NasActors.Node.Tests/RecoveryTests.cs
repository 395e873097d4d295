using Microsoft.Data.Sqlite;
using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Node.Hosting;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Node.Tests;

/// <summary>
/// The coordinator entity, through sharding, on a real journal: stop the whole node, start
/// another on the same store, and the search is where it was. Run on SQLite and PostgreSQL.
/// </summary>
public abstract class RecoveryTests : IDisposable
{
    protected readonly string _store = Directory.CreateTempSubdirectory("nas-node-").FullName;

    protected abstract NodeOptions Options(string store);

    /// <summary>Runs a query with one <c>@id</c> parameter against the store and returns its first column.</summary>
    protected abstract IReadOnlyList<string> Query(string sql, string persistenceId);

    protected static IReadOnlyList<string> Rows(System.Data.Common.DbCommand command)
    {
        var rows = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) rows.Add(reader.GetString(0));
        return rows;
    }

    public virtual void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_store, recursive: true);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(4)]
    public async Task A_search_recovers_from_the_sqlite_journal_after_a_node_restart(int snapshotEvery)
    {
        var id = new SearchId($"recovery-{snapshotEvery}");
        var options = Options(_store);
        SearchStatus before;
        int inFlight;
        await using (var node = await NasNode.StartAsync(options))
        {
            var spec = TestSpec.Json(trials: 5, snapshotEvery);
            await node.AskAsync<SearchStatus>(new StartSearch(id, spec, 4, 3));
            var leased = new List<WorkAssigned>();
            // Four trainers: one that asks again while holding a lease hears that lease again.
            for (var i = 0; i < 4; i++) leased.Add(await node.AskAsync<WorkAssigned>(new RequestWork(id, $"t{i}", false)));
            for (var i = 0; i < 3; i++)
                await node.AskAsync<ResultAccepted>(new ReportResult(id, "t", leased[i].Trial.TrialId, leased[i].LeaseEpoch, new TrialMetrics(0.1 * (i + 1), 1, 10, 1)));
            inFlight = leased[3].Trial.TrialId;
            before = await node.AskAsync<SearchStatus>(new GetStatus(id, IncludeTrials: true));
        }

        await using (var node = await NasNode.StartAsync(options))
        {
            var after = await node.AskAsync<SearchStatus>(new GetStatus(id, IncludeTrials: true));
            Assert.Equal(before with { Trials = null, Spec = null }, after with { Trials = null, Spec = null });
            Assert.Equal(before.Trials, after.Trials);
            Assert.Equal(3, after.Completed);

            // Finish the search on the new node: the in-flight trial is reclaimed, the budget completes exactly.
            var reclaimed = await node.AskAsync<LeasesReclaimed>(new ReclaimLeases(id));
            Assert.Equal(1, reclaimed.Count);
            var again = await node.AskAsync<WorkAssigned>(new RequestWork(id, "u", false));
            Assert.Equal(inFlight, again.Trial.TrialId);
            await node.AskAsync<ResultAccepted>(new ReportResult(id, "u", again.Trial.TrialId, again.LeaseEpoch, new TrialMetrics(0.9, 1, 10, 1)));
            var last = await node.AskAsync<WorkAssigned>(new RequestWork(id, "u", false));
            await node.AskAsync<ResultAccepted>(new ReportResult(id, "u", last.Trial.TrialId, last.LeaseEpoch, new TrialMetrics(0.2, 1, 10, 1)));
            var done = await node.AskAsync<SearchStatus>(new GetStatus(id));
            Assert.Equal(SearchPhase.Finished, done.Phase);
            Assert.Equal(inFlight, done.Best!.TrialId);
        }

        // Events went through the versioned serializer, not a default CLR-type serializer.
        var manifests = Query("SELECT DISTINCT manifest FROM journal WHERE persistence_id = @id", $"search-{id}");
        Assert.All(manifests, m => Assert.Matches(@"^[a-z-]+\.v\d+$", m));
        Assert.Contains("trial-completed.v2", manifests);
        // With a small interval the first node snapshotted, so the second recovered from snapshot + events.
        var snapshots = Query("SELECT manifest FROM snapshot WHERE persistence_id = @id", $"search-{id}");
        if (snapshotEvery < 10) Assert.Contains("search-snapshot.v6", snapshots);
        else Assert.Empty(snapshots);
    }
}

public sealed class SqliteRecoveryTests : RecoveryTests
{
    protected override NodeOptions Options(string store) =>
        new() { StoreDirectory = store, LogFile = Path.Combine(store, "logs", "node.log") };

    protected override IReadOnlyList<string> Query(string sql, string persistenceId)
    {
        using var db = new SqliteConnection($"Data Source={Path.Combine(_store, "nas.db")};Pooling=False");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@id", persistenceId);
        return Rows(command);
    }
}

public sealed class PostgresRecoveryTests(PostgresServer postgres) : RecoveryTests, IClassFixture<PostgresServer>
{
    protected override NodeOptions Options(string store) => new()
    {
        StoreDirectory = store, Storage = StorageKind.PostgreSql, ConnectionString = postgres.ConnectionString,
        LogFile = Path.Combine(store, "logs", "node.log")
    };

    protected override IReadOnlyList<string> Query(string sql, string persistenceId)
    {
        using var db = new Npgsql.NpgsqlConnection(postgres.ConnectionString);
        db.Open();
        using var command = new Npgsql.NpgsqlCommand(sql, db);
        command.Parameters.AddWithValue("id", persistenceId);
        return Rows(command);
    }
}

internal static class TestSpec
{
    public static string Json(int trials, int snapshotEvery) => SearchSpecJson.Serialize(new SearchSpec(
        "node-test", 5,
        new MlpSpaceSpec("mlp", [1, 2], [8, 16], ["relu"], [0.0], 1e-3, 1e-2),
        new DatasetSpec("/unused.csv", "last", 0.2),
        new TrainingSpec(1, 8),
        new StrategySpec("random", new Dictionary<string, double>()),
        new BudgetSpec(trials, 3),
        new ExecutionSpec(1, 1, 30, snapshotEvery) { LeaseAhead = 0 }, // these tests lease one trial per request
        new ObjectiveSpec("val_accuracy", true),
        new ConstraintSpec(null)));
}
