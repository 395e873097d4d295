using NasActors.Node.Http;

namespace NasActors.Cli.Commands.Admin;

/// <summary><c>search list</c>: the running and paused searches (the cluster's search index).</summary>
public sealed class SearchListCommand : AdminCommand<AdminSettings>
{
    protected override async Task<(object, IEnumerable<string>)> RunAsync(AdminClient client, AdminSettings settings)
    {
        var searches = await client.GetAsync<SearchAdminInfo[]>("/api/admin/searches");
        return (searches, [.. searches.Select(AdminLines.Search), $"Count: {searches.Length} searches"]);
    }
}

/// <summary><c>search show &lt;id&gt;</c>.</summary>
public sealed class SearchShowCommand : AdminCommand<IdSettings>
{
    protected override async Task<(object, IEnumerable<string>)> RunAsync(AdminClient client, IdSettings settings)
    {
        var search = await client.GetAsync<SearchAdminInfo>($"/api/admin/searches/{Escape(settings.Id)}");
        return (search, AdminLines.SearchDetail(search));
    }
}

/// <summary><c>search pause|resume|cancel &lt;id&gt;</c>: the verb is the constructor's.</summary>
public sealed class SearchVerbCommand : AdminCommand<IdSettings>
{
    protected override async Task<(object, IEnumerable<string>)> RunAsync(AdminClient client, IdSettings settings)
    {
        var search = await client.PostAsync<SearchAdminInfo>($"/api/admin/searches/{Escape(settings.Id)}/{Verb}");
        return (search, [AdminLines.Search(search)]);
    }
}

/// <summary><c>search enqueue &lt;id&gt; &lt;architecture&gt;</c>: a coming trial trains it (journaled; Optuna's enqueue_trial).</summary>
public sealed class SearchEnqueueCommand : AdminCommand<IdArchitectureSettings>
{
    protected override async Task<(object, IEnumerable<string>)> RunAsync(AdminClient client, IdArchitectureSettings settings)
    {
        var search = await client.PostAsync<SearchAdminInfo>($"/api/admin/searches/{Escape(settings.Id)}/enqueue", new ArchitectureRequest(settings.Architecture));
        return (search, [AdminLines.Search(search)]);
    }
}

/// <summary><c>search budget &lt;id&gt; &lt;trials&gt;</c> and <c>search priority &lt;id&gt; &lt;n&gt;</c>: journaled by the search.</summary>
public sealed class SearchNumberCommand : AdminCommand<IdNumberSettings>
{
    protected override async Task<(object, IEnumerable<string>)> RunAsync(AdminClient client, IdNumberSettings settings)
    {
        var what = Verb;
        if (settings.Number < 1) throw new UsageException($"search {what}: {settings.Number} must be a whole number of at least 1");
        var search = await client.PostAsync<SearchAdminInfo>($"/api/admin/searches/{Escape(settings.Id)}/{what}", new NumberRequest(settings.Number));
        return (search, [AdminLines.Search(search)]);
    }
}
