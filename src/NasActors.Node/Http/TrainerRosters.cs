using Akka.Actor;
using Akka.Cluster;
using NasActors.Engine.Trainers.Roster;
using NasActors.Node.Hosting;

namespace NasActors.Node.Http;

/// <summary>
/// Asks the <see cref="TrainerRoster"/> (<c>/user/trainers</c>) of every up trainer member, or of one: the admin palette's
/// trainer commands and the dashboard's cluster view both see the trainers this way. A member without a roster (a node
/// hosted without trainers) is skipped at once; one that does not answer in time is listed as unanswered, not fatal.
/// </summary>
public static class TrainerRosters
{
    public static async Task<(IReadOnlyList<TrainersView> Views, IReadOnlyList<string> Unanswered)> AskAsync(ActorSystem system, object question,
        TimeSpan timeout, Address? only = null)
    {
        var members = Cluster.Get(system).State.Members
            .Where(m => m.Status == MemberStatus.Up && m.HasRole(NodeOptions.TrainerRole) && (only is null || m.Address.Equals(only)))
            .ToArray();
        var answers = await Task.WhenAll(members.Select(async m =>
        {
            var selection = system.ActorSelection($"{m.Address}/user/{TrainerRoster.Name}");
            try
            {
                // Identify is answered even where no actor lives at the path, so a node without a roster costs no timeout.
                var roster = (await selection.Ask<ActorIdentity>(new Identify(null), timeout)).Subject;
                return (View: roster is null ? new TrainersView(m.Address.ToString(), []) : await roster.Ask<TrainersView>(question, timeout), Address: m.Address);
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                return (View: (TrainersView?)null, Address: m.Address);
            }
        }));
        return (answers.Where(a => a.View is not null).Select(a => a.View!).ToArray(),
            answers.Where(a => a.View is null).Select(a => a.Address.ToString()).ToArray());
    }
}
