using System.Diagnostics;
using System.Runtime.InteropServices;
using Akka.Actor;
using NasActors.Core.Specs;
using NasActors.Node.Configuration;
using NasActors.Training.Devices;
using NasActors.Engine.Searches;
using NasActors.Engine.Trainers;
using Spectre.Console;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Cli;

/// <summary>
/// Drives one search inside an embedded node: starts its trainers, shows progress until the
/// search is over or the user interrupts (Ctrl-C / SIGTERM), then prints and writes the results.
/// </summary>
public sealed class SearchRunner(EmbeddedNode node, SearchId searchId, IEvaluatorProvider evaluators)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Status asks in a row that may time out before the watch gives up (each waits the node's ask timeout).</summary>
    private const int PatientPolls = 10;

    public async Task<int> RunAsync(SearchDefinition definition, string? resumeHint)
    {
        using var interrupt = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; interrupt.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; interrupt.Cancel(); });

        // Nothing from before a restart can still be training in this process: hand its leases back now.
        var reclaimed = await node.AskAsync<LeasesReclaimed>(new ReclaimLeases(searchId));
        if (reclaimed.Count > 0) AnsiConsole.MarkupLine($"re-issuing [yellow]{reclaimed.Count}[/] trial(s) that were in flight when the search stopped");

        var trainers = StartTrainers(definition);
        var status = await WatchAsync(definition, interrupt.Token);
        foreach (var trainer in trainers) node.System.Stop(trainer);

        if (status is null)
        {
            var final = await node.AskAsync<SearchStatus>(new GetStatus(searchId));
            AnsiConsole.MarkupLine($"[yellow]interrupted[/]: {final.Completed}/{final.Budget} trials are safe in the journal.");
            AnsiConsole.MarkupLine($"resume with: [bold]{resumeHint ?? $"nas resume {searchId}"}[/]  (or: nas resume {searchId})");
            return ExitCodes.Interrupted;
        }
        return ResultsReport.Show(node.SearchDirectory(searchId), await node.AskAsync<SearchStatus>(new GetStatus(searchId, IncludeTrials: true)));
    }

    private IActorRef[] StartTrainers(SearchDefinition definition)
    {
        var incarnation = $"{Environment.MachineName}-{Environment.ProcessId}";
        var plan = TrainerPlan.For(definition.Spec.Execution);
        if (plan[0].Device != "cpu") AnsiConsole.MarkupLine($"training on {string.Join(", ", plan.Select(p => p.Device))}");
        return plan.Select((slot, i) => node.System.ActorOf(
            TrainerActor.Props(node.Searches, searchId, evaluators,
                new TrainerSettings($"{incarnation}-t{i}", Path.Combine(node.StoreDirectory, "searches"), slot.Threads, slot.Device)),
            $"trainer-{searchId}-{i}")).ToArray();
    }

    /// <summary>Polls the coordinator until the search is over (returns its status) or interrupted (null).</summary>
    private async Task<SearchStatus?> WatchAsync(SearchDefinition definition, CancellationToken interrupted)
    {
        var initial = await node.AskAsync<SearchStatus>(new GetStatus(searchId));
        var clock = Stopwatch.StartNew();
        if (!AnsiConsole.Profile.Capabilities.Interactive)
            return await WatchPlainAsync(initial, clock, interrupted);

        SearchStatus? result = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Describe(initial), maxValue: initial.Budget);
                while (!interrupted.IsCancellationRequested)
                {
                    if (await PollAsync(interrupted) is not { } status) continue;
                    task.Value = status.Completed;
                    task.Description = Describe(status);
                    if (status.Phase is SearchPhase.Finished or SearchPhase.Failed or SearchPhase.Cancelled)
                    {
                        result = status;
                        return;
                    }
                    await Delay(interrupted);
                }
            });
        return result;
    }

    /// <summary>Non-terminal output (logs, CI, tests): one line per completed trial.</summary>
    private async Task<SearchStatus?> WatchPlainAsync(SearchStatus status, Stopwatch clock, CancellationToken interrupted)
    {
        var reported = status.Completed;
        var startedWith = status.Completed;
        Console.WriteLine($"search {searchId}: {status.Completed}/{status.Budget} trials done{ResultsReport.CachedNote(status)}");
        var phase = status.SupernetPhase;
        if (phase is not null) Console.WriteLine($"supernet: {phase}");
        while (!interrupted.IsCancellationRequested)
        {
            if (await PollAsync(interrupted) is not { } polled) continue;
            status = polled;
            if (phase is not null && status.SupernetPhase is null) Console.WriteLine("supernet: subnets ranked; retraining the best as trials");
            phase = status.SupernetPhase;
            if (status.Completed != reported)
            {
                reported = status.Completed;
                var perTrial = clock.Elapsed / Math.Max(1, reported - startedWith);
                var eta = perTrial * (status.Budget - reported);
                Console.WriteLine($"progress {reported}/{status.Budget} best={status.Best?.Metrics?.ValidationAccuracy:F4} eta={Durations.Clock(eta)}");
            }
            if (status.Phase is SearchPhase.Finished or SearchPhase.Failed or SearchPhase.Cancelled) return status;
            await Delay(interrupted);
        }
        return null;
    }

    private int _timedOutPolls;

    /// <summary>
    /// The search's status, or null when the ask timed out: a process stopped for a while (SIGSTOP, a suspended VM, a long
    /// GC pause) finds its pending ask expired on waking although nothing is wrong, and a long build or search must not
    /// end for that. <see cref="PatientPolls"/> timeouts in a row do end the watch, with one line.
    /// </summary>
    private async Task<SearchStatus?> PollAsync(CancellationToken interrupted)
    {
        try
        {
            var status = await node.AskAsync<SearchStatus>(new GetStatus(searchId));
            _timedOutPolls = 0;
            return status;
        }
        catch (AskTimeoutException) when (interrupted.IsCancellationRequested)
        {
            return null; // the watch ends anyway
        }
        catch (AskTimeoutException) when (++_timedOutPolls < PatientPolls)
        {
            Console.Error.WriteLine($"search {searchId}: no status answer in time ({_timedOutPolls} in a row); asking again");
            return null;
        }
    }

    private static string Describe(SearchStatus s) => s.SupernetPhase is not null
        ? "supernet: training, then ranking subnets"
        : $"{s.Completed}/{s.Budget} trials, best val acc {(s.Best?.Metrics is { } m ? m.ValidationAccuracy.ToString("F4") : "-")}";

    private static async Task Delay(CancellationToken interrupted)
    {
        try { await Task.Delay(PollInterval, interrupted); }
        catch (OperationCanceledException) { }
    }
}
