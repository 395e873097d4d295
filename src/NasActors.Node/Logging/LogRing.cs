using Akka.Actor;
using Akka.Event;

namespace NasActors.Node.Logging;

/// <summary>
/// The node's most recent log lines in memory (<c>nas admin log tail</c>): subscribed to the actor system's log events,
/// keeps the last <see cref="Capacity"/> in the same shape as the log file.
/// </summary>
public sealed class LogRing : ReceiveActor
{
    public const int Capacity = 1000;
    public const string Name = "log-ring";
    private readonly Queue<string> _lines = new();

    public sealed record GetRecentLog(int Count);

    public sealed record RecentLog(IReadOnlyList<string> Lines);

    public LogRing()
    {
        Receive<LogEvent>(e =>
        {
            if (_lines.Count == Capacity) _lines.Dequeue();
            _lines.Enqueue(FileLogger.Format(e));
        });
        Receive<GetRecentLog>(get => Sender.Tell(new RecentLog(_lines.Skip(Math.Max(0, _lines.Count - get.Count)).ToArray())));
    }

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(LogEvent));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
