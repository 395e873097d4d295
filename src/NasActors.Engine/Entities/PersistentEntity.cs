using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;

namespace NasActors.Engine.Entities;

/// <summary>
/// The skeleton every strategy entity shares: recover a snapshot then events, persist a batch and
/// only then act on it, snapshot every <see cref="SnapshotEvery"/> events (deleting older ones), and
/// passivate through the shard after <paramref name="idle"/> without messages. Subclasses keep their
/// decisions in a state class and only wire commands to it.
/// </summary>
public abstract class PersistentEntity<TEvent> : ReceivePersistentActor where TEvent : class
{
    private int _eventsSinceSnapshot;

    protected PersistentEntity(string persistenceId, TimeSpan idle)
    {
        PersistenceId = persistenceId;
        Context.SetReceiveTimeout(idle);
        Recover<SnapshotOffer>(offer => RestoreSnapshot(offer.Snapshot));
        Recover<TEvent>(e => ApplyEvent(e));
        Recover<RecoveryCompleted>(_ => OnRecovered());
        // The shard stops us with the stop message once it has stopped routing to us; Context.Stop would lose messages.
        Command<ReceiveTimeout>(_ => Context.Parent.Tell(new Passivate(PoisonPill.Instance)));
        Command<SaveSnapshotSuccess>(ok => DeleteSnapshots(new SnapshotSelectionCriteria(ok.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failed => Log.Warning("{0}: snapshot failed: {1}", PersistenceId, failed.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    public override string PersistenceId { get; }

    /// <summary>
    /// A rejected write would otherwise leave the entity running without the event (and its <c>then</c> never
    /// run): restart and recover instead, like a failed write, so the entity's effects are re-derived from the journal.
    /// </summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr) =>
        throw new JournalWriteException(PersistenceId, rejected: true, @event, sequenceNr, cause);

    /// <summary>
    /// A write failed (it may or may not be stored): Akka stops the actor after this, and its shard (or a back-off
    /// supervisor) starts it again, recovering from what the journal has. Logged here once, instead of Akka's own line.
    /// </summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr) =>
        Context.GetLogger().Error(new JournalWriteException(PersistenceId, rejected: false, @event, sequenceNr, cause).Message);

    protected virtual int SnapshotEvery => 100;

    /// <summary>Folds an event into the state, live and on replay; returns messages to send when live.</summary>
    protected abstract IReadOnlyList<object> ApplyEvent(TEvent e);

    protected abstract object TakeSnapshot();

    protected abstract void RestoreSnapshot(object snapshot);

    protected virtual void OnRecovered() { }

    /// <summary>Messages an applied event asks for (to other entities); only sent when not replaying.</summary>
    protected abstract void Send(object effect);

    /// <summary>Persists the events in one batch, applies and acts on each, then runs <paramref name="then"/>.</summary>
    protected void PersistThen(IReadOnlyList<TEvent> events, Action then)
    {
        if (events.Count == 0)
        {
            then();
            return;
        }
        var remaining = events.Count;
        PersistAll(events, e =>
        {
            foreach (var effect in ApplyEvent(e)) Send(effect);
            if (--remaining > 0) return;
            _eventsSinceSnapshot += events.Count;
            if (_eventsSinceSnapshot >= SnapshotEvery)
            {
                _eventsSinceSnapshot = 0;
                SaveSnapshot(TakeSnapshot());
            }
            then();
        });
    }
}
