namespace NasActors.Cli;

/// <summary>Where an unexpected exception goes in full: &lt;store&gt;/logs/node.log, beside the actor system's log.</summary>
public static class FailureLog
{
    public static string StoreDirectory { get; set; } = StoreSettings.DefaultStore;

    /// <summary>Appends the exception with its stack trace; returns the log's path (or where it could not be written).</summary>
    public static string Append(Exception e, string[] args)
    {
        var log = Path.Combine(Path.GetFullPath(StoreDirectory), "logs", "node.log");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(log)!);
            using var writer = new StreamWriter(new FileStream(log, FileMode.Append, FileAccess.Write, FileShare.ReadWrite));
            writer.WriteLine($"{DateTimeOffset.UtcNow:O} ERROR [nas {string.Join(' ', args)}] {e}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The log itself cannot be written (read-only store, full disk): the terminal line still names the failure.
        }
        return log;
    }
}
