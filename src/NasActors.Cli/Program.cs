using NasActors.Cli;
using NasActors.Cli.Commands;
using NasActors.Core.Data;
using NasActors.Core.Specs;

// Composition root: Torch-backed plug-ins join Core's registries before any spec is read (controller: lstm).
NasActors.Training.Policies.TrainingPolicies.Register();

// Exit codes: 0 done, 1 search failed, 2 user mistake (bad spec, data, arguments), 130 interrupted.
// Redirected output (logs, batch jobs) has no terminal width: give tables room instead of 80 columns.
if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 200;
try
{
    return args.Length == 0 ? Usage() : args[0] switch
    {
        "run" => await RunCommand.ExecuteAsync(args[1..]),
        "resume" => await ResumeCommand.ExecuteAsync(args[1..]),
        "status" => await StatusCommand.ExecuteAsync(args[1..]),
        "export" => await ExportCommand.ExecuteAsync(args[1..]),
        "bench" when args.Length > 1 && args[1] == "ledger" => await LedgerBenchCommand.ExecuteAsync(args[2..]),
        "bench" when args.Length > 1 && args[1] == "zero-cost" => BenchZeroCostCommand.Execute(args[2..]),
        "bench" => await BenchCommand.ExecuteAsync(args[1..]),
        "help" or "--help" or "-h" => Usage(),
        _ => throw new UsageException($"unknown command '{args[0]}'")
    };
}
catch (Exception e) when (e is UsageException or SpecException or DatasetException)
{
    // Plain stderr, never wrapped: scripts and schedulers read this line.
    Console.Error.WriteLine($"error: {e.Message}");
    if (e is UsageException) Usage();
    return ExitCodes.UserError;
}

static int Usage()
{
    Console.WriteLine("""
        usage: nas <command> [options]

          run <spec.yaml> [--store DIR] [--new]   run a search on this machine (embedded node, SQLite store)
                                                   the same command again resumes it, or reports a finished one
          resume <search-id> [--store DIR]        continue a stopped search from its journal
          status <search-id> [--store DIR]        show a search's progress and best trials
          export <search-id> --out DIR [--model best|<trial>] [--store DIR]
                                                   write a trained model: architecture.json, model.pt (TorchSharp),
                                                   state_dict.pth (PyTorch torch.load)
          bench ledger [--trials 5000] [--out FILE]
                                                   durable trials/s of the engine (no-op evaluator, SQLite journal)
          bench zero-cost [--archs 50] [--examples 3000] [--channels 8] [--resolution 16] [--out FILE]
                                                   rank correlation of zero-cost proxies with brief training
          bench nb201 [--strategies a,b,...] [--runs N] [--budget-seconds S | --budget-trials T] [--workers W]
                [--kill-rate R] [--data CSV] [--signal COL] [--cost COL] [--report COL,...] [--seed S] [--out PATH]
                                                   replay strategies on NAS-Bench-201 with simulated time (OUT.md, OUT/)

        The store defaults to ./.nas (journal: .nas/nas.db, results: .nas/searches/<search-id>/).
        """);
    return ExitCodes.UserError;
}
