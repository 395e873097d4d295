using NasActors.Engine.Islands;
using NasActors.Engine.Members;
using NasActors.Engine.Searches;
using static NasActors.Engine.Members.MemberEvents;
using static NasActors.Engine.Members.MemberProtocol;

namespace NasActors.Engine.Tests.Entities;

public class MemberStateTests
{
    private static readonly MemberId Id = new(new IslandId(new SearchId("s"), 1), 9);
    private static readonly MemberRecord Record = new([1, 0, 2], 0.8, 5, "island-1/member-3", ["island-1/member-1", "island-1/member-3"]);

    [Fact]
    public void The_first_record_counts_and_retirement_happens_once()
    {
        var state = MemberState.Empty;
        var recorded = state.Process(new RecordMember(Id, Record));
        Assert.IsType<MemberRecorded>(Assert.Single(recorded));
        state = state.Apply(recorded[0]);

        Assert.Empty(state.Process(new RecordMember(Id, Record with { Fitness = 0.1 })));
        var retired = state.Process(new RetireMember(Id, 12));
        state = state.Apply(Assert.Single(retired));
        Assert.Empty(state.Process(new RetireMember(Id, 13)));

        var view = state.View(Id);
        Assert.Equal(0.8, view.Record!.Fitness);
        Assert.Equal(12, view.RetiredAt);
        Assert.False(view.Alive);
    }

    [Fact]
    public void A_member_never_recorded_cannot_retire()
    {
        Assert.Empty(MemberState.Empty.Process(new RetireMember(Id, 3)));
        Assert.Null(MemberState.Empty.View(Id).Record);
    }
}
