using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace NasActors.Node.Logging;

/// <summary>
/// Akka logger that appends to a file, so the terminal shows the search and not the actor
/// system's chatter. The path comes from <see cref="Target"/> (set before the system starts).
/// </summary>
public sealed class FileLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public static string? Target { get; set; }

    private readonly StreamWriter? _writer;

    public FileLogger()
    {
        if (Target is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Target)!);
            _writer = new StreamWriter(new FileStream(Target, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        }
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e => _writer?.WriteLine(Format(e)));
    }

    /// <summary>One log line: time, level, source, message (and the exception).</summary>
    public static string Format(LogEvent e) =>
        $"{e.Timestamp:O} {e.LogLevel().ToString().Replace("Level", "").ToUpperInvariant()} [{e.LogSource}] {e.Message}{(e.Cause is null ? "" : " :: " + e.Cause)}";

    protected override void PostStop() => _writer?.Dispose();
}
