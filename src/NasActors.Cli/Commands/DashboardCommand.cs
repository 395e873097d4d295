using System.ComponentModel;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using NasActors.Node.Http;
using Spectre.Console.Cli;

namespace NasActors.Cli.Commands;

/// <summary>
/// <c>nas dashboard --store DIR</c>: the dashboard, the read API and /metrics over a store's journal, read-only,
/// for a finished search or one a <c>nas run</c> is writing (no lock taken). Serves until Ctrl+C.
/// </summary>
public sealed class DashboardCommand : AsyncCommand<DashboardCommand.Settings>
{
    public sealed class Settings : StoreSettings
    {
        [CommandOption("--port <PORT>")]
        [Description("port to listen on (0: any free port)")]
        [DefaultValue(9111)]
        public int Port { get; set; } = 9111;

        [CommandOption("--host <HOST>")]
        [Description("address to listen on; the default keeps the dashboard on this machine")]
        [DefaultValue("127.0.0.1")]
        public string Host { get; set; } = "127.0.0.1";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Port is < 0 or > 65535) throw new UsageException($"--port must be between 0 and 65535, not {settings.Port}");
        if (!IPAddress.TryParse(settings.Host, out var address) && settings.Host != "localhost")
            throw new UsageException($"--host must be an IP address or localhost, not '{settings.Host}'");
        if (!File.Exists(settings.JournalFile))
            throw new UsageException($"no store at '{Path.GetFullPath(settings.Store)}' (no nas.db): run a search there first");
        var source = new SqliteJournalSource(settings.JournalFile);
        source.LastOrdering(); // a damaged journal fails here, in one line, not on the first page load

        var builder = QuietWebBuilder.Create();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (address is null) kestrel.ListenLocalhost(settings.Port);
            else kestrel.Listen(address, settings.Port);
        });
        await using var app = builder.Build();
        app.MapDashboard(source);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            throw new UsageException($"cannot listen on {settings.Host}:{settings.Port}: {e.Message}");
        }
        // The bound address (the real port with --port 0): scripts and tests read this line.
        Console.WriteLine($"dashboard: {app.Urls.First()}/ (store {Path.GetFullPath(settings.Store)}, read-only; Ctrl+C stops)");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: stop serving.
        }
        await app.StopAsync(CancellationToken.None);
        return ExitCodes.Done;
    }
}
