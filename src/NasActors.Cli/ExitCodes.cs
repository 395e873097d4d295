namespace NasActors.Cli;

/// <summary>The exit codes README documents; scripts and schedulers branch on them.</summary>
public static class ExitCodes
{
    public const int Done = 0;
    /// <summary>The search failed, or something unexpected did (the log has the details).</summary>
    public const int SearchFailed = 1;
    /// <summary>A user mistake: bad spec, data, arguments, unknown search, an unusable store.</summary>
    public const int UserError = 2;
    /// <summary>Another process writes to the store: nothing was started or touched.</summary>
    public const int StoreBusy = 3;
    /// <summary>`nas admin`: the node's admin endpoint could not be reached (down, wrong host:port, no answer).</summary>
    public const int ConnectionFailed = 4;
    /// <summary>`nas admin`: the node refused: no or wrong token, or the cluster's state forbids the command.</summary>
    public const int Refused = 5;
    public const int Interrupted = 130;
}
