using Akka.Actor;
using Akka.Configuration;
using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;

namespace NasActors.Engine.Simulation;

/// <summary>
/// Runs replayed searches (<see cref="ReplayRun"/>) in one actor system, many at a time: each run has
/// its own coordinator id, clock and trainers, so runs share nothing but the system and its journal.
/// By default the journal and snapshot store are in memory (a replay is throwaway); pass another
/// system (e.g. one hosted with the SQLite journal) to replay against real persistence.
/// </summary>
public sealed class ReplaySimulator : IAsyncDisposable
{
    public const string InMemoryConfig = """
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;

    private readonly ActorSystem _system;
    private readonly bool _ownsSystem;
    private readonly SemaphoreSlim _inFlight;
    private int _runs;

    /// <param name="maxInFlight">runs simulated at once (each is a handful of actors; more keeps every core busy)</param>
    public ReplaySimulator(int maxInFlight = 32, ActorSystem? system = null)
    {
        _ownsSystem = system is null;
        _system = system ?? ActorSystem.Create("replay", ConfigurationFactory.ParseString(InMemoryConfig));
        _inFlight = new SemaphoreSlim(Math.Max(1, maxInFlight));
    }

    public ActorSystem System => _system;

    /// <summary>
    /// Replays one search: <paramref name="definition"/> must be the definition of <paramref name="spec"/>
    /// (callers build it once and share it between runs; it is immutable). Simulated trainers take one lease at a time,
    /// so the replay runs with <c>execution.lease_ahead: 0</c> whatever the spec says: on the virtual clock a report's round
    /// trip costs nothing, which is all lease-ahead saves, and with <c>auto</c> trials shorter than a second were answered
    /// with several leases at once, which a simulated trainer does not take (the replay stood still).
    /// </summary>
    public async Task<ReplayResult> RunAsync(SearchId searchId, SearchSpecData spec, SearchDefinition definition,
        ITrialEvaluator evaluator, ReplaySettings settings, CancellationToken cancellationToken = default)
    {
        if (definition.Spec.Execution.LeaseAhead != 0)
        {
            var oneLease = definition.Spec with { Execution = definition.Spec.Execution with { LeaseAhead = 0 } };
            spec = spec with { SpecJson = SearchSpecJson.Serialize(oneLease) };
            definition = definition with { Spec = oneLease };
        }
        await _inFlight.WaitAsync(cancellationToken);
        try
        {
            var completion = new TaskCompletionSource<ReplayResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            var run = _system.ActorOf(ReplayRun.Props(searchId, spec, definition, evaluator, settings, completion),
                $"run-{Interlocked.Increment(ref _runs)}");
            await using var _ = cancellationToken.Register(() => run.Tell(PoisonPill.Instance));
            return await completion.Task;
        }
        finally
        {
            _inFlight.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsSystem) await _system.Terminate();
        _inFlight.Dispose();
    }
}
