namespace NasActors.Cli.Commands.Admin;

/// <summary>
/// <c>nas admin [host:port] [command…]</c>, as pbm takes it: the endpoint comes right after <c>admin</c>. It is moved to
/// <c>--endpoint</c> so that Spectre parses the rest; with no command left the admin shell (<see cref="AdminShell"/>) runs.
/// </summary>
public static class AdminArguments
{
    /// <summary>pbm's port: admins' habits carry over.</summary>
    public const string DefaultEndpoint = "127.0.0.1:9110";

    private static readonly string[] Groups = ["cluster", "cluster-sharding", "actor", "log", "search", "trainer", "help"];

    /// <summary>The arguments for Spectre (endpoint moved to --endpoint), and whether a command was given at all.</summary>
    public static (string[] Args, string Endpoint, bool HasCommand) Normalise(string[] args)
    {
        var rest = args.Skip(1).ToList();
        var endpoint = DefaultEndpoint;
        if (rest.Count > 0 && !rest[0].StartsWith('-') && !Groups.Contains(rest[0]) && rest[0].Contains(':'))
        {
            endpoint = rest[0];
            rest.RemoveAt(0);
            rest.Add("--endpoint");
            rest.Add(endpoint);
        }
        var hasCommand = rest.Count > 0 && !rest[0].StartsWith('-');
        return (["admin", .. rest], endpoint, hasCommand);
    }

    /// <summary>One line of the shell split like a shell would (double quotes group words).</summary>
    public static string[] Split(string line)
    {
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"') quoted = !quoted;
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (word.Length > 0) words.Add(word.ToString());
                word.Clear();
            }
            else word.Append(c);
        }
        if (word.Length > 0) words.Add(word.ToString());
        return words.ToArray();
    }
}
