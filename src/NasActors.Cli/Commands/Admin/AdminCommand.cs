using System.Text.Json;
using Spectre.Console.Cli;

namespace NasActors.Cli.Commands.Admin;

/// <summary>
/// One palette command: ask the node (<see cref="RunAsync"/>), then print its answer as text lines or, with --json, as JSON.
/// Output is plain text (no markup), so scripts can parse the pbm-shaped lines.
/// </summary>
public abstract class AdminCommand<TSettings> : AsyncCommand<TSettings> where TSettings : AdminSettings
{
    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        Data = context.Data;
        using var client = new AdminClient(settings.Endpoint, settings.TokenFile);
        var (answer, lines) = await RunAsync(client, settings);
        if (settings.Json) Console.WriteLine(JsonSerializer.Serialize(answer, answer.GetType(), AdminClient.Json));
        else foreach (var line in lines) Console.WriteLine(line);
        return ExitCodes.Done;
    }

    /// <summary>The node's answer (printed as JSON with --json) and its text lines.</summary>
    protected abstract Task<(object Answer, IEnumerable<string> Lines)> RunAsync(AdminClient client, TSettings settings);

    /// <summary>The command's data (WithData): the verb of commands that share a class.</summary>
    protected object? Data { get; private set; }

    protected string Verb => (string)Data!;

    protected static string Escape(string id) => Uri.EscapeDataString(id);
}
