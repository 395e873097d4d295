using static NasActors.Engine.Members.MemberEvents;
using static NasActors.Engine.Members.MemberProtocol;

namespace NasActors.Engine.Members;

/// <summary>
/// A member's state, immutable: <see cref="Process"/> turns a command into events (none for a
/// duplicate), <see cref="Apply"/> folds one in. Also its snapshot.
/// </summary>
public sealed record MemberState(MemberRecord? Record, int? RetiredAt)
{
    public static readonly MemberState Empty = new(null, null);

    public IReadOnlyList<IMemberEvent> Process(IMemberMessage command) => command switch
    {
        RecordMember record when Record is null => [new MemberRecorded(record.Record)],
        RetireMember retire when Record is not null && RetiredAt is null => [new MemberRetired(retire.At)],
        _ => []
    };

    public MemberState Apply(IMemberEvent e) => e switch
    {
        MemberRecorded recorded => this with { Record = recorded.Record },
        MemberRetired retired => this with { RetiredAt = retired.At },
        _ => throw new ArgumentException($"unknown member event {e.GetType().Name}")
    };

    public MemberView View(MemberId id) => new(id, Record, RetiredAt);
}
