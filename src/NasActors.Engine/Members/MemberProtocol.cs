namespace NasActors.Engine.Members;

/// <summary>A member is written by its island (fire-and-forget, idempotent) and read by anyone.</summary>
public static class MemberProtocol
{
    /// <summary>The first record counts; a re-sent one (after the island recovered) changes nothing.</summary>
    public sealed record RecordMember(MemberId MemberId, MemberRecord Record) : IMemberMessage;

    /// <summary>The member aged out of its island at island evaluation <paramref name="At"/>.</summary>
    public sealed record RetireMember(MemberId MemberId, int At) : IMemberMessage;

    public sealed record GetMember(MemberId MemberId) : IMemberMessage;
}

/// <param name="Values">the genotype's values</param>
/// <param name="Fitness">the objective it was selected by</param>
/// <param name="Born">the island's evaluation count when it joined; its age is the island's count minus this</param>
/// <param name="Parent">the member it was bred from (local name), null for a random or migrant founder</param>
/// <param name="Lineage">ancestors, oldest first, across migrations</param>
public sealed record MemberRecord(double[] Values, double Fitness, int Born, string? Parent, IReadOnlyList<string> Lineage);

/// <summary>Answer to <see cref="MemberProtocol.GetMember"/>; Record is null for a member never recorded.</summary>
public sealed record MemberView(MemberId MemberId, MemberRecord? Record, int? RetiredAt)
{
    public bool Alive => Record is not null && RetiredAt is null;
}
