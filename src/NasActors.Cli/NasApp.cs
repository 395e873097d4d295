using NasActors.Cli.Commands;
using NasActors.Cli.Commands.Admin;
using NasActors.Core.Data;
using NasActors.Core.Specs;
using NasActors.Node.Storage;
using Spectre.Console.Cli;

namespace NasActors.Cli;

/// <summary>
/// The command line: one command class per command, parsed by Spectre.Console.Cli. Every failure ends
/// here as one <c>error:</c> line on stderr and an exit code (see <see cref="ExitCodes"/>); a stack
/// trace never reaches the terminal — unexpected exceptions go whole to the store's log file.
/// </summary>
public static class NasApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["admin", ..] && !args.Contains("--help") && !args.Contains("-h"))
        {
            var (adminArgs, endpoint, hasCommand) = AdminArguments.Normalise(args);
            if (!hasCommand) return await AdminShell.RunAsync(endpoint, adminArgs[1..]);
            args = adminArgs;
        }
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("nas");
            config.PropagateExceptions();
            config.UseStrictParsing();
            config.SetInterceptor(new StoreInterceptor());
            config.AddCommand<RunCommand>("run")
                .WithDescription("run a search on this machine (embedded node, SQLite store); the same command again resumes it, or reports a finished one")
                .WithExample("run", "search.yaml");
            config.AddCommand<ResumeCommand>("resume").WithDescription("continue a stopped search from its journal");
            config.AddCommand<StatusCommand>("status").WithDescription("show a search's progress and best trial (read-only; works while it runs)");
            config.AddCommand<ExportCommand>("export")
                .WithDescription("write a trained model: architecture.json, model.pt (TorchSharp), state_dict.pth (PyTorch torch.load)");
            config.AddCommand<DashboardCommand>("dashboard")
                .WithDescription("serve the dashboard, read API and /metrics of a store's searches (read-only; works while they run)")
                .WithExample("dashboard", "--store", ".nas", "--port", "9111");
            config.AddCommand<NodeCommand>("node")
                .WithDescription("run a long-lived cluster member (coordinator and/or trainer) from cluster-config/; SIGTERM drains it")
                .WithExample("node", "--roles", "coordinator,trainer", "--port", "4053");
            config.AddCommand<SubmitCommand>("submit")
                .WithDescription("hand a search to a running cluster (its node's admin API) and print its id")
                .WithExample("submit", "search.yaml", "--cluster", "127.0.0.1:9110");
            config.AddCommand<ClusterSearchCommand>("pause").WithData("pause").WithDescription("pause a search on a cluster (--cluster host:port)");
            config.AddCommand<ClusterSearchCommand>("cancel").WithData("cancel").WithDescription("cancel a search on a cluster (--cluster host:port)");
            config.AddBranch("admin", AdminPalette.Configure);
            config.AddBranch("bench", bench =>
            {
                bench.SetDescription("benchmarks: strategies on NAS-Bench-201, engine throughput, zero-cost proxies");
                bench.AddCommand<BenchNb201Command>("nb201").WithDescription("replay strategies on NAS-Bench-201 with simulated time (OUT.md, OUT/)");
                bench.AddCommand<BenchLedgerCommand>("ledger").WithDescription("durable trials/s of the engine (no-op evaluator, SQLite journal)");
                bench.AddCommand<BenchProjectionCommand>("projection").WithDescription("one coordinator serving thousands of simulated trainers (virtual clock)");
                bench.AddCommand<BenchZeroCostCommand>("zero-cost").WithDescription("rank correlation of zero-cost proxies with brief training");
                bench.AddCommand<BenchMultiFidelityCommand>("multi-fidelity")
                    .WithDescription("replay (multi-fidelity) strategies on a build-table learning-curve table with simulated time (OUT.md, OUT/)");
                bench.AddCommand<BenchBuildTableCommand>("build-table")
                    .WithDescription("train a grid of a space (strategy: grid) and write its per-epoch learning curves as a tabular benchmark; resumes");
            });
        });
        try
        {
            return await app.RunAsync(HelpAsOption(args));
        }
        catch (Exception e) when (IsUserError(e))
        {
            // Plain stderr, one line: scripts and schedulers read it.
            return Fail(NameTheOption(e.Message, args), ExitCodes.UserError);
        }
        catch (StoreBusyException e)
        {
            return Fail(e.Message, ExitCodes.StoreBusy);
        }
        catch (AdminConnectionException e)
        {
            return Fail(e.Message, ExitCodes.ConnectionFailed);
        }
        catch (AdminRefusedException e)
        {
            return Fail(e.Message, ExitCodes.Refused);
        }
        catch (Exception e)
        {
            var log = FailureLog.Append(e, args);
            return Fail($"{Command(args)} failed: {Innermost(e).Message} (full log: {log})", ExitCodes.SearchFailed);
        }
    }

    /// <summary>
    /// <c>nas help [command...]</c> is <c>nas [command...] --help</c>; so is a bare <c>nas bench</c>
    /// (Spectre would show the branch's help with exit code 1, which means a failed search here).
    /// </summary>
    private static string[] HelpAsOption(string[] args) => args switch
    {
        ["help", .. var rest] => [.. rest, "--help"],
        ["bench"] => ["bench", "--help"],
        _ => args
    };

    private static bool IsUserError(Exception e) =>
        e is UsageException or SpecException or DatasetException or StoreException
        || e is CommandAppException and not CommandConfigurationException;

    /// <summary>Spectre's "Failed to convert 'x' to Int32." does not say which option: the word before the value does.</summary>
    private static string NameTheOption(string message, string[] args)
    {
        if (!message.StartsWith("Failed to convert '", StringComparison.Ordinal)) return message;
        var value = message.Split('\'')[1];
        var at = Array.IndexOf(args, value);
        return at > 0 && args[at - 1].StartsWith('-') ? $"{args[at - 1]}: {message.TrimEnd('.')} (see nas {Command(args)[4..]} --help)" : message;
    }

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine($"error: {OneLine(message)}");
        return code;
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string Command(string[] args) =>
        "nas " + string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')).Take(args is ["bench", ..] ? 2 : 1));

    private static Exception Innermost(Exception e) =>
        e is AggregateException { InnerExceptions.Count: 1 } a ? Innermost(a.InnerExceptions[0])
        : e.InnerException is { } inner && e is TypeInitializationException or System.Reflection.TargetInvocationException ? Innermost(inner)
        : e;

    /// <summary>Remembers the store of the command being run: unexpected failures are logged there.</summary>
    private sealed class StoreInterceptor : ICommandInterceptor
    {
        public void Intercept(CommandContext context, CommandSettings settings)
        {
            if (settings is StoreSettings store) FailureLog.StoreDirectory = store.Store;
        }

        public void InterceptResult(CommandContext context, CommandSettings settings, ref int result) { }
    }
}
