namespace NasActors.Engine.Members;

/// <summary>Events of a population member (manifests in <see cref="Serialization.EntityEventSerializer"/>).</summary>
public interface IMemberEvent;

public static class MemberEvents
{
    public sealed record MemberRecorded(MemberRecord Record) : IMemberEvent;

    public sealed record MemberRetired(int At) : IMemberEvent;
}
