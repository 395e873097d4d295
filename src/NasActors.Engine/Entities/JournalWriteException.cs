namespace NasActors.Engine.Entities;

/// <summary>
/// A persistent actor's journal write was rejected (thrown, so the supervisor restarts the actor and it recovers
/// from the journal) or failed (logged; Akka stops the actor and its shard starts it again). One message names the
/// entity, the event, the cause and what happens next.
/// </summary>
public sealed class JournalWriteException(string persistenceId, bool rejected, object @event, long sequenceNr, Exception cause)
    : Exception($"{persistenceId}: journal write {(rejected ? "rejected" : "failed")} for {@event.GetType().Name} (sequence number {sequenceNr}): " +
                $"{cause.Message}; {(rejected ? "restarting" : "stopping")} to recover from the journal", cause);
