using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Event;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NasActors.Engine.Searches;
using NasActors.Engine.Searches.Index;
using NasActors.Engine.Trainers.Roster;
using NasActors.Node.Hosting;
using NasActors.Node.Logging;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Node.Http;

/// <summary>
/// The admin palette's API (`nas admin`), under /api/admin: cluster membership and downing, sharding statistics, the
/// actor tree, recent log lines, searches (list, show, pause, resume, cancel, budget, priority) and trainers (list,
/// drain, quarantine). With a token configured every call needs it (<see cref="AdminToken"/>); every mutating call is
/// logged with who (remote address) and what. Answers: 400 bad argument, 401 no or wrong token, 404 unknown id,
/// 409 refused by the cluster's state (a budget below what already ran…), 504 a node did not answer.
/// </summary>
public static class AdminEndpoints
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app, IActorRef logRing)
    {
        var admin = app.MapGroup("/api/admin").AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetService(typeof(AdminToken)) is AdminToken token && !token.Allows(context.HttpContext.Request)
                ? Results.Unauthorized()
                : await next(context));

        admin.MapGet("/cluster", (NasNode node) => Results.Ok(ClusterOf(node.System)));
        admin.MapPost("/cluster/join", (AddressRequest body, HttpRequest request, NasNode node) =>
            WithAddress(body.Address, required: true, node, request, "cluster join", (cluster, address) => cluster.Join(address), mustBeMember: false));
        admin.MapPost("/cluster/leave", (AddressRequest body, HttpRequest request, NasNode node) =>
            WithAddress(body.Address, required: false, node, request, "cluster leave", (cluster, address) => cluster.Leave(address), mustBeMember: true));
        admin.MapPost("/cluster/down", (AddressRequest body, HttpRequest request, NasNode node) =>
            WithAddress(body.Address, required: true, node, request, "cluster down", (cluster, address) => cluster.Down(address), mustBeMember: true));
        admin.MapPost("/cluster/down-unreachable", (HttpRequest request, NasNode node) =>
        {
            var cluster = Cluster.Get(node.System);
            var unreachable = cluster.State.Unreachable.Select(m => m.Address).ToArray();
            Audit(node, request, $"cluster down-unreachable ({unreachable.Length} member(s))");
            foreach (var address in unreachable) cluster.Down(address);
            return Results.Ok(ClusterOf(node.System));
        });

        admin.MapGet("/sharding/regions", (NasNode node) => Results.Ok(ClusterSharding.Get(node.System).ShardTypeNames.Order().ToArray()));
        admin.MapGet("/sharding/{type}/stats", async (string type, NasNode node) =>
        {
            var sharding = ClusterSharding.Get(node.System);
            if (!sharding.ShardTypeNames.Contains(type))
                return Results.NotFound(new { error = $"no sharded type '{type}' (known: {string.Join(", ", sharding.ShardTypeNames.Order())})" });
            var stats = await sharding.ShardRegion(type).Ask<ClusterShardingStats>(new GetClusterShardingStats(AskTimeout), AskTimeout + TimeSpan.FromSeconds(5));
            var members = Cluster.Get(node.System).State.Members;
            // The shard coordinator is a singleton on the oldest member of the sharding role.
            var oldest = members.Where(m => m.Status == MemberStatus.Up && m.HasRole(NodeOptions.CoordinatorRole))
                .Aggregate((Member?)null, (a, m) => a is null || m.IsOlderThan(a) ? m : a);
            var version = typeof(AdminEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
            return Results.Ok(stats.Regions.OrderBy(r => r.Key.ToString()).Select(r =>
            {
                var member = members.FirstOrDefault(m => m.Address.Equals(r.Key));
                return new RegionStatsInfo(r.Key.ToString(), member?.Roles.Order().ToArray() ?? [], member?.Status.ToString().ToLowerInvariant() ?? "removed",
                    version, oldest?.Address.Equals(r.Key) == true, r.Value.Stats.Count, r.Value.Stats.Values.Sum());
            }).ToArray());
        });

        admin.MapGet("/actors", async (NasNode node, int? depth, string? path) =>
        {
            var start = string.IsNullOrWhiteSpace(path) ? "/user" : path;
            if (!start.StartsWith('/')) return Results.BadRequest(new { error = $"-s: '{start}' is not an actor path (e.g. /user or /system)" });
            if (depth is < 1) return Results.BadRequest(new { error = $"-d: depth {depth} must be at least 1" });
            IActorRef root;
            try
            {
                root = start == "/" ? ((ExtendedActorSystem)node.System).Provider.RootGuardian
                    : await node.System.ActorSelection(start).ResolveOne(AskTimeout);
            }
            catch (ActorNotFoundException)
            {
                return Results.NotFound(new { error = $"no actor at '{start}'" });
            }
            var actors = new List<ActorInfo>();
            Walk(root, 0, depth ?? 4, actors);
            return Results.Ok(actors);
        });

        admin.MapGet("/log", async (int? n) =>
        {
            if (n is < 1) return Results.BadRequest(new { error = $"-n: {n} must be at least 1" });
            var recent = await logRing.Ask<LogRing.RecentLog>(new LogRing.GetRecentLog(n ?? 50), AskTimeout);
            return Results.Ok(recent.Lines);
        });

        MapSearches(admin);
        MapTrainers(admin);
        return app;
    }

    private static void MapSearches(RouteGroupBuilder admin)
    {
        admin.MapGet("/searches", async (NasNode node) =>
        {
            var index = await node.RegionAsync<SearchIndexRegion>();
            var active = await index.Ask<SearchIndexProtocol.ActiveSearches>(new SearchIndexProtocol.GetActiveSearches(), AskTimeout);
            var statuses = await Task.WhenAll(active.SearchIds.Order(Comparer<SearchId>.Create((a, b) => string.CompareOrdinal(a.Value, b.Value)))
                .Select(id => node.Searches.Ask<SearchStatus>(new GetStatus(id), AskTimeout)));
            return Results.Ok(statuses.Select(ViewOf).ToArray());
        });
        admin.MapGet("/searches/{id}", async (string id, NasNode node) =>
            await KnownSearch(id, node) is { } status ? Results.Ok(ViewOf(status)) : UnknownSearch(id));
        foreach (var verb in new[] { "pause", "resume", "cancel" })
            admin.MapPost($"/searches/{{id}}/{verb}", async (string id, HttpRequest request, NasNode node) =>
            {
                if (await KnownSearch(id, node) is null) return UnknownSearch(id);
                var who = Audit(node, request, $"search {verb} {id}");
                ISearchMessage command = verb switch
                {
                    "pause" => new PauseSearch(new SearchId(id), $"paused by {who}"),
                    "resume" => new ResumeSearch(new SearchId(id)),
                    _ => new CancelSearch(new SearchId(id), $"cancelled by {who}")
                };
                return Results.Ok(ViewOf(await node.Searches.Ask<SearchStatus>(command, AskTimeout)));
            });
        admin.MapPost("/searches/{id}/budget", (string id, NumberRequest body, HttpRequest request, NasNode node) =>
            SearchChange(id, node, request, $"search budget {id} {body.Value}", who => new ChangeBudget(new SearchId(id), body.Value, who)));
        admin.MapPost("/searches/{id}/priority", (string id, NumberRequest body, HttpRequest request, NasNode node) =>
            SearchChange(id, node, request, $"search priority {id} {body.Value}", who => new ChangePriority(new SearchId(id), body.Value, who)));
        admin.MapPost("/searches/{id}/enqueue", (string id, ArchitectureRequest body, HttpRequest request, NasNode node) =>
            SearchChange(id, node, request, $"search enqueue {id} {body.Architecture}", who => new EnqueueTrial(new SearchId(id), body.Architecture, who)));
    }

    private static async Task<IResult> SearchChange(string id, NasNode node, HttpRequest request, string what, Func<string, ISearchMessage> command)
    {
        if (await KnownSearch(id, node) is null) return UnknownSearch(id);
        var who = Audit(node, request, what);
        return await node.Searches.Ask<object>(command(who), AskTimeout) switch
        {
            SearchStatus status => Results.Ok(ViewOf(status)),
            CommandRefused refused => Results.Conflict(new { error = refused.Reason }),
            var other => Results.Problem($"unexpected answer {other.GetType().Name}")
        };
    }

    private static async Task<SearchStatus?> KnownSearch(string id, NasNode node)
    {
        if (!SearchCommandEndpoints.IsSearchId(id)) return null;
        var status = await node.Searches.Ask<SearchStatus>(new GetStatus(new SearchId(id)), AskTimeout);
        return status.Phase == SearchPhase.NotStarted ? null : status;
    }

    private static IResult UnknownSearch(string id) => Results.NotFound(new { error = $"no search '{id}'" });

    private static SearchAdminInfo ViewOf(SearchStatus s) => new(s.SearchId.Value, s.Name, s.Phase.ToString().ToLowerInvariant(), s.Completed, s.Budget,
        s.Failed, s.InFlight, s.Priority, s.Best is { } b ? $"trial {b.TrialId}: {b.Architecture} (objective {b.Objective:F4})" : null, s.Message);

    private static void MapTrainers(RouteGroupBuilder admin)
    {
        admin.MapGet("/trainers", async (NasNode node) =>
        {
            var (views, unanswered) = await AskRosters(node, new TrainerRosterProtocol.GetTrainers());
            return Results.Ok(new TrainerListInfo(views.SelectMany(v => v.Trainers).ToArray(), unanswered));
        });
        admin.MapPost("/trainers/{target}/drain", async (string target, HttpRequest request, NasNode node) =>
        {
            target = Uri.UnescapeDataString(target); // a node's address arrives with its slashes escaped (%2F), which routing keeps
            var who = Audit(node, request, $"trainer drain {target}");
            var member = Cluster.Get(node.System).State.Members.FirstOrDefault(m => m.Address.ToString() == target || HostPort(m.Address) == target);
            var (views, _) = member is not null
                ? await AskRosters(node, new TrainerRosterProtocol.DrainTrainers(null, false, who), only: member.Address)
                : await AskRosters(node, new TrainerRosterProtocol.DrainTrainers(target, false, who));
            var trainers = views.SelectMany(v => v.Trainers).ToArray();
            return trainers.Length == 0 ? Results.NotFound(new { error = $"no trainer or trainer node '{target}'" }) : Results.Ok(trainers);
        });
        admin.MapPost("/trainers/{id}/quarantine", async (string id, bool? release, HttpRequest request, NasNode node) =>
        {
            var who = Audit(node, request, $"trainer quarantine {id}{(release == true ? " --release" : "")}");
            var (views, _) = await AskRosters(node, new TrainerRosterProtocol.QuarantineTrainer(id, release == true, who));
            var trainers = views.SelectMany(v => v.Trainers).ToArray();
            return trainers.Length == 0 ? Results.NotFound(new { error = $"no trainer '{id}' (see nas admin trainer list)" }) : Results.Ok(trainers);
        });
    }

    private static Task<(IReadOnlyList<TrainersView> Views, IReadOnlyList<string> Unanswered)> AskRosters(NasNode node, object question,
        Address? only = null) => TrainerRosters.AskAsync(node.System, question, AskTimeout, only);

    private static string HostPort(Address address) => $"{address.Host}:{address.Port}";

    private static ClusterInfo ClusterOf(ActorSystem system)
    {
        var cluster = Cluster.Get(system);
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        return new ClusterInfo(cluster.SelfAddress.ToString(), state.Leader?.ToString(),
            state.Members.Select(m => new ClusterMemberInfo(m.Address.ToString(), m.Roles.Order().ToArray(), m.Status.ToString().ToLowerInvariant(),
                !unreachable.Contains(m.Address))).ToArray());
    }

    private static IResult WithAddress(string? text, bool required, NasNode node, HttpRequest request, string what, Action<Cluster, Address> act, bool mustBeMember)
    {
        var cluster = Cluster.Get(node.System);
        Address address;
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required) return Results.BadRequest(new { error = $"{what}: expected an address such as akka.tcp://nas@host:4053" });
            address = cluster.SelfAddress;
        }
        else
        {
            try
            {
                address = Address.Parse(text);
            }
            catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
            {
                return Results.BadRequest(new { error = $"{what}: '{text}' is not an address such as akka.tcp://nas@host:4053" });
            }
        }
        if (mustBeMember && !cluster.State.Members.Any(m => m.Address.Equals(address)))
            return Results.NotFound(new { error = $"{what}: no member {address} (see nas admin cluster show)" });
        Audit(node, request, $"{what} {address}");
        act(cluster, address);
        return Results.Ok(ClusterOf(node.System));
    }

    /// <summary>Logs who (remote address, whether a token was presented) ran what; returns the who. The token itself is never logged.</summary>
    private static string Audit(NasNode node, HttpRequest request, string what)
    {
        var who = $"admin {request.HttpContext.Connection.RemoteIpAddress}{(request.Headers.Authorization.Count > 0 ? " (token)" : "")}";
        node.System.Log.Warning("{0}: {1}", who, what);
        return who;
    }

    private static void Walk(IActorRef actor, int depth, int maxDepth, List<ActorInfo> into)
    {
        into.Add(new ActorInfo(actor.Path.ToStringWithoutAddress(), depth));
        if (depth >= maxDepth || actor is not ActorRefWithCell cell) return;
        foreach (var child in cell.Children.OrderBy(c => c.Path.Name, StringComparer.Ordinal)) Walk(child, depth + 1, maxDepth, into);
    }
}
