namespace NasActors.Engine.Entities;

/// <summary>
/// Thrown by a persistent actor whose journal write was rejected or failed, so that its supervisor restarts it
/// and it recovers from what the journal holds: the one message names the entity, the event and the cause.
/// </summary>
public sealed class JournalWriteException(string persistenceId, string what, object @event, long sequenceNr, Exception cause)
    : Exception($"{persistenceId}: journal write {what} for {@event.GetType().Name} (sequence number {sequenceNr}): {cause.Message}; restarting from the journal", cause);
