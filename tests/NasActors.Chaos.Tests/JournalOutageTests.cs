using Akka.Actor;
using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Engine.Trainers;
using NasActors.Engine.Trainers.FaultInjection;
using NasActors.Node.Hosting;
using Npgsql;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Chaos.Tests;

/// <summary>
/// Chaos e: the PostgreSQL journal goes away for 20 s in the middle of a search and comes back.
/// In-process: a node on PostgreSQL, two trainer actors with the fake evaluator.
/// </summary>
public sealed class JournalOutageTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20);
    private readonly string _store = Directory.CreateTempSubdirectory("nas-outage-").FullName;

    [Fact]
    public async Task A_search_survives_a_20_second_journal_outage_with_exact_accounting_and_no_trial_blamed()
    {
        const int budget = 40;
        var report = new ChaosReport(output, "e journal outage");
        using var postgres = new PostgresServer();
        var id = new SearchId("outage");
        await using var node = await NasNode.StartAsync(new NodeOptions
        {
            StoreDirectory = _store, Storage = StorageKind.PostgreSql, ConnectionString = postgres.ConnectionString,
            LogFile = Path.Combine(_store, "logs", "node.log")
        });
        var spec = SpecReader.Read(TinySpecs.Digits(trials: budget, strategy: "random"), "chaos.yaml");
        await node.AskAsync<SearchStatus>(new StartSearch(id, SearchSpecJson.Serialize(spec), 64, 10));
        var evaluators = new FaultInjectingEvaluatorProvider(new NoRealTraining(), FaultPlan.Parse("fake:200ms"));
        for (var i = 0; i < 2; i++)
            node.System.ActorOf(TrainerActor.Props(node.Searches, id, evaluators,
                new TrainerSettings($"outage-t{i}", Path.Combine(_store, "searches"), 1)), $"trainer-{i}");

        var before = await WaitForAsync(node, id, s => s.Completed >= 8, TimeSpan.FromMinutes(2));
        postgres.Stop();
        report.Injected($"PostgreSQL stopped (pg_ctl -m immediate) for {Outage.TotalSeconds:F0} s at {before.Completed}/{budget} completed, then started again");
        await Task.Delay(Outage);
        postgres.Start();
        var back = System.Diagnostics.Stopwatch.StartNew();

        var done = await WaitForAsync(node, id, s => s.Phase is SearchPhase.Finished or SearchPhase.Failed, TimeSpan.FromMinutes(3));
        report.Measured($"the search finished {back.Elapsed.TotalSeconds:F1} s after PostgreSQL was back");

        Assert.Equal(SearchPhase.Finished, done.Phase);
        Assert.Equal(0, done.Failed);
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        var ledger = new Ledger(JournalReader.Read(connection));
        ledger.AssertExactAccounting(budget);
        Assert.Empty(ledger.Failed);
        report.Verified($"search finished; {budget}/{budget} completed, {ledger.Proposed.Count} proposed trials each in exactly one terminal state " +
                        "(raw PostgreSQL journal); no trial failed for the outage");
    }

    /// <summary>Polls the search's status; asks that time out while the journal is away are retried.</summary>
    private static async Task<SearchStatus> WaitForAsync(NasNode node, SearchId id, Func<SearchStatus, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        SearchStatus? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await node.AskAsync<SearchStatus>(new GetStatus(id), TimeSpan.FromSeconds(5));
                if (done(last)) return last;
            }
            catch (AskTimeoutException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"search {id} did not get there within {timeout}; last status: {last}");
    }

    public void Dispose()
    {
        try { Directory.Delete(_store, recursive: true); } catch (IOException) { }
    }

    private sealed class NoRealTraining : IEvaluatorProvider
    {
        public ITrialEvaluator For(SearchDefinition definition) => throw new InvalidOperationException("the fake evaluator should have been used");
    }
}
