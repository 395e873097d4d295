using NasActors.Node.Http;

namespace NasActors.Cli.Commands.Admin;

/// <summary><c>cluster-sharding regions</c>: the sharded types, one per line.</summary>
public sealed class ShardingRegionsCommand : AdminCommand<AdminSettings>
{
    protected override async Task<(object, IEnumerable<string>)> RunAsync(AdminClient client, AdminSettings settings)
    {
        var types = await client.GetAsync<string[]>("/api/admin/sharding/regions");
        return (types, types);
    }
}

/// <summary><c>cluster-sharding region-stats -r &lt;type&gt;</c>: shards and entities per node.</summary>
public sealed class RegionStatsCommand : AdminCommand<RegionStatsSettings>
{
    protected override async Task<(object, IEnumerable<string>)> RunAsync(AdminClient client, RegionStatsSettings settings)
    {
        if (string.IsNullOrWhiteSpace(settings.Region)) throw new UsageException("-r: expected a sharded type (see nas admin cluster-sharding regions)");
        var regions = await client.GetAsync<RegionStatsInfo[]>($"/api/admin/sharding/{Escape(settings.Region)}/stats");
        return (regions, AdminLines.RegionStats(settings.Region, regions));
    }
}

/// <summary><c>actor hierarchy [-d depth] [-s path]</c>: the answering node's actor tree, indented by depth.</summary>
public sealed class ActorHierarchyCommand : AdminCommand<HierarchySettings>
{
    protected override async Task<(object, IEnumerable<string>)> RunAsync(AdminClient client, HierarchySettings settings)
    {
        var query = $"?depth={settings.Depth ?? 4}" + (settings.Start is { } s ? $"&path={Escape(s)}" : "");
        var actors = await client.GetAsync<ActorInfo[]>("/api/admin/actors" + query);
        return (actors, AdminLines.Hierarchy(actors));
    }
}

/// <summary><c>log tail [-n N]</c>: the answering node's most recent log lines.</summary>
public sealed class LogTailCommand : AdminCommand<LogTailSettings>
{
    protected override async Task<(object, IEnumerable<string>)> RunAsync(AdminClient client, LogTailSettings settings)
    {
        var lines = await client.GetAsync<string[]>($"/api/admin/log?n={settings.Lines ?? 50}");
        return (lines, lines);
    }
}
