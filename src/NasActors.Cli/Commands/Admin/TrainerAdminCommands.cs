using NasActors.Engine.Trainers.Roster;
using NasActors.Node.Http;

namespace NasActors.Cli.Commands.Admin;

/// <summary><c>trainer list</c>: every trainer of the cluster with its node, device, state, trial, progress and failures.</summary>
public sealed class TrainerListCommand : AdminCommand<AdminSettings>
{
    protected override async Task<(object, IEnumerable<string>)> RunAsync(AdminClient client, AdminSettings settings)
    {
        var list = await client.GetAsync<TrainerListInfo>("/api/admin/trainers");
        return (list, AdminLines.Trainers(list.Trainers, list.Unanswered));
    }
}

/// <summary><c>trainer drain &lt;trainer|node&gt;</c>: no new trials; the one in hand stops at its next epoch boundary and is handed back.</summary>
public sealed class TrainerDrainCommand : AdminCommand<IdSettings>
{
    protected override async Task<(object, IEnumerable<string>)> RunAsync(AdminClient client, IdSettings settings)
    {
        var trainers = await client.PostAsync<TrainerView[]>($"/api/admin/trainers/{Escape(settings.Id)}/drain");
        return (trainers, [.. trainers.Select(AdminLines.Trainer), $"Count: {trainers.Length} trainers draining"]);
    }
}

/// <summary><c>trainer quarantine &lt;trainer&gt; [--release]</c>: out of rotation until released (journaled by its node).</summary>
public sealed class TrainerQuarantineCommand : AdminCommand<QuarantineSettings>
{
    protected override async Task<(object, IEnumerable<string>)> RunAsync(AdminClient client, QuarantineSettings settings)
    {
        var trainers = await client.PostAsync<TrainerView[]>($"/api/admin/trainers/{Escape(settings.Id)}/quarantine{(settings.Release ? "?release=true" : "")}");
        return (trainers, trainers.Select(AdminLines.Trainer));
    }
}
