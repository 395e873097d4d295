using Akka.Actor;
using NasActors.Engine.Entities;
using static NasActors.Engine.Members.MemberProtocol;

namespace NasActors.Engine.Members;

/// <summary>
/// One member of an island's population (persistent, sharded): genotype, fitness, age, parent and
/// lineage. Its island keeps what selection needs in memory, so no trial waits on a member; members
/// are the durable, queryable record of the population's history, passivated when idle.
/// </summary>
public sealed class PopulationMember : PersistentEntity<IMemberEvent>
{
    public const string PersistencePrefix = "member";
    private readonly MemberId _id;
    private MemberState _state = MemberState.Empty;

    public PopulationMember(string memberId) : base($"{PersistencePrefix}-{memberId}", TimeSpan.FromSeconds(30))
    {
        _id = MemberId.Parse(memberId);
        Command<RecordMember>(Handle);
        Command<RetireMember>(Handle);
        Command<GetMember>(_ => Sender.Tell(_state.View(_id)));
    }

    public static Props Props(string memberId) => Akka.Actor.Props.Create(() => new PopulationMember(memberId));

    private void Handle(IMemberMessage command) => PersistThen(_state.Process(command), () => { });

    protected override IReadOnlyList<object> ApplyEvent(IMemberEvent e)
    {
        _state = _state.Apply(e);
        return [];
    }

    protected override object TakeSnapshot() => _state;

    protected override void RestoreSnapshot(object snapshot) => _state = (MemberState)snapshot;

    protected override void Send(object effect) { }
}
