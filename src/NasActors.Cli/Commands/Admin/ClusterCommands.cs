using NasActors.Node.Http;

namespace NasActors.Cli.Commands.Admin;

/// <summary><c>cluster show [-r role]</c>: every member, <c>Count: N nodes</c>.</summary>
public sealed class ClusterShowCommand : AdminCommand<RoleSettings>
{
    protected override async Task<(object, IEnumerable<string>)> RunAsync(AdminClient client, RoleSettings settings)
    {
        var cluster = await client.GetAsync<ClusterInfo>("/api/admin/cluster");
        var members = cluster.Members.Where(m => settings.Role is null || m.Roles.Contains(settings.Role)).ToArray();
        return (members, AdminLines.Members(members));
    }
}

/// <summary><c>cluster status</c>: the answering node's own member line.</summary>
public sealed class ClusterStatusCommand : AdminCommand<AdminSettings>
{
    protected override async Task<(object, IEnumerable<string>)> RunAsync(AdminClient client, AdminSettings settings)
    {
        var cluster = await client.GetAsync<ClusterInfo>("/api/admin/cluster");
        var self = cluster.Members.FirstOrDefault(m => m.Address == cluster.Self) ?? new ClusterMemberInfo(cluster.Self, [], "joining", true);
        return (self, [AdminLines.Member(self)]);
    }
}

/// <summary><c>cluster leader</c>: the leader's address.</summary>
public sealed class ClusterLeaderCommand : AdminCommand<AdminSettings>
{
    protected override async Task<(object, IEnumerable<string>)> RunAsync(AdminClient client, AdminSettings settings)
    {
        var cluster = await client.GetAsync<ClusterInfo>("/api/admin/cluster");
        return (new { leader = cluster.Leader }, [cluster.Leader ?? "no leader"]);
    }
}

/// <summary><c>cluster join|leave|down &lt;address&gt;</c> and <c>cluster down-unreachable</c>: the verb is the command's data.</summary>
public sealed class ClusterChangeCommand : AdminCommand<OptionalAddressSettings>
{
    protected override async Task<(object, IEnumerable<string>)> RunAsync(AdminClient client, OptionalAddressSettings settings)
    {
        var verb = Verb;
        if (verb is "join" or "down" && settings.Address is null) throw new UsageException($"cluster {verb}: expected an address, e.g. akka.tcp://nas@10.0.0.5:4053");
        var cluster = verb == "down-unreachable"
            ? await client.PostAsync<ClusterInfo>("/api/admin/cluster/down-unreachable")
            : await client.PostAsync<ClusterInfo>($"/api/admin/cluster/{verb}", new AddressRequest(settings.Address));
        return (cluster.Members, [$"{verb} {settings.Address ?? (verb == "leave" ? cluster.Self : "")}: requested".Replace("  ", " "), .. AdminLines.Members(cluster.Members)]);
    }
}
