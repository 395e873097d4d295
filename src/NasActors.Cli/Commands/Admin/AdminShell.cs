namespace NasActors.Cli.Commands.Admin;

/// <summary>
/// <c>nas admin [host:port]</c> with no command: a prompt that runs palette commands against that endpoint until
/// <c>exit</c> (or end of input). Each line is a command as it would follow <c>nas admin host:port</c>; a failing command
/// prints its one error line and the prompt continues. With stdin redirected (<c>nas admin host:port &lt; commands.txt</c>) it
/// reads the commands line by line and prints neither banner nor prompt, so the output is only the commands' lines.
/// </summary>
public static class AdminShell
{
    /// <param name="options">options of the invocation (--endpoint, --token-file), added to every command</param>
    public static async Task<int> RunAsync(string endpoint, IReadOnlyList<string> options)
    {
        var interactive = !Console.IsInputRedirected;
        if (interactive) Console.WriteLine($"nas admin: connected to {endpoint} (commands as in `nas admin --help`; `exit` to leave)");
        while (true)
        {
            if (interactive) Console.Write($"{endpoint}> ");
            var line = Console.ReadLine();
            if (line is null) return ExitCodes.Done;
            var words = AdminArguments.Split(line);
            if (words.Length == 0) continue;
            if (words is ["exit"] or ["quit"]) return ExitCodes.Done;
            await NasApp.RunAsync(["admin", .. words, .. options]);
        }
    }
}
