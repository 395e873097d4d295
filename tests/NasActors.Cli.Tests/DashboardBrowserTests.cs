using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace NasActors.Cli.Tests;

/// <summary>
/// The dashboard in a real browser (Debian's chromium, headless, driven by Playwright): a <c>nas run</c> writes a
/// search while <c>nas dashboard</c> serves the same store; the page must follow the trials as they complete,
/// without a reload, and its trial table must sort and filter. Then the page a `nas node` serves (a second, trainer-only
/// node joined to it): a search handed over with `nas submit`, followed live with the cluster view listing every trainer
/// of both nodes under `nas admin trainer list`'s state names (one quarantined through the palette), paused from the
/// page's button once the page has asked for the admin token the node wants (401), the pause seen by the admin palette
/// (`nas admin HOST:PORT search show ID`). Screenshots land in TestResults/screenshots.
/// </summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";
    private const int Budget = 10;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);
    private const string AdminToken = "page-admin-token";
    private static readonly string[] TrainerStates = ["idle", "training", "reporting", "abandoning", "wedged", "quarantined", "drained"];

    [Fact]
    public async Task The_page_follows_a_running_search_and_its_table_sorts_and_filters()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium (.ci/run does)");
        using var temp = new TempFolder();
        var spec = temp.Write("search.yaml", TinySpecs.Digits(trials: Budget, epochs: 25));
        using var run = NasProcess.Start(temp.Path, "run", spec);
        var journal = Path.Combine(temp.Path, ".nas", "nas.db");
        await LoopbackCluster.Until(() => Task.FromResult(File.Exists(journal)), "the run's journal to appear");
        using var dashboard = NasProcess.Start(temp.Path, "dashboard", "--store", ".nas", "--port", "0");
        await dashboard.WaitForLineAsync(l => l.StartsWith("dashboard: http://", StringComparison.Ordinal), TimeSpan.FromMinutes(1));
        var url = dashboard.Output.Split('\n').First(l => l.StartsWith("dashboard: ", StringComparison.Ordinal)).Split(' ')[1];

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"]
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1500 } });
        await page.GotoAsync(url);
        // A mark on this document: a reload would lose it.
        await page.EvaluateAsync("() => window.loadedOnce = 'yes'");

        // Live: the completed count and the history chart grow while the run writes, on the same document.
        var first = await WaitForCompleted(page, n => n >= 1 && n < Budget);
        var later = await WaitForCompleted(page, n => n > first);
        Assert.True(later > first);
        Assert.Equal(later, await HistoryPoints(page, atLeast: later));
        Assert.Equal("yes", await page.EvaluateAsync<string>("() => window.loadedOnce"));
        output.WriteLine($"live: {first} then {later} completed trials on one page load");
        var shots = Path.Combine(RepoPaths.Root, "TestResults", "screenshots");
        Directory.CreateDirectory(shots);
        // Half-way (usually still running: the README's picture); the test asserts nothing on timing here.
        await WaitForCompleted(page, n => n >= Budget / 2);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "dashboard-running.png"), FullPage = true });

        Assert.Equal(0, await run.WaitForExitAsync(Patience));
        await WaitForCompleted(page, n => n == Budget);
        Assert.Equal(Budget, await HistoryPoints(page, atLeast: Budget));
        Assert.Equal("yes", await page.EvaluateAsync<string>("() => window.loadedOnce"));
        Assert.Equal("Finished", await page.InnerTextAsync("#phase"));
        Assert.True(await page.IsDisabledAsync("#pause"));
        Assert.Contains("nas node", await page.GetAttributeAsync("#pause", "title"));
        Assert.NotEqual(0, await page.Locator("#trainers tbody tr").CountAsync());

        // Sort by objective: the first click sorts descending.
        await page.ClickAsync("th[data-sort=objective]");
        await page.WaitForSelectorAsync("th[data-sort=objective].desc");
        var objectives = await Column(page, 3);
        Assert.Equal(Budget, objectives.Count);
        Assert.Equal(objectives.OrderByDescending(v => v).ToList(), objectives);
        await page.ClickAsync("th[data-sort=objective]");
        await page.WaitForSelectorAsync("th[data-sort=objective].asc");
        Assert.Equal(objectives.Order().ToList(), await Column(page, 3));

        // Filter by state: nothing failed, everything completed.
        await page.SelectOptionAsync("#state-filter", "failed");
        await page.WaitForFunctionAsync("() => document.querySelector('#trial-total').textContent === '0 shown'");
        Assert.Equal(0, await page.Locator("#trials tbody tr").CountAsync());
        await page.SelectOptionAsync("#state-filter", "completed");
        await page.WaitForFunctionAsync($"() => document.querySelector('#trial-total').textContent === '{Budget} shown'");
        Assert.All(await page.Locator("#trials tbody tr td:nth-child(2)").AllInnerTextsAsync(), s => Assert.Equal("completed", s));

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "dashboard.png"), FullPage = true });
        await page.Locator("#history-card").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(shots, "history.png") });
        await page.Locator("#trials-card").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(shots, "trials.png") });
        await page.Locator("#cluster-card").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(shots, "cluster.png") });
        output.WriteLine($"screenshots: {shots}");
        Console.WriteLine($"dashboard screenshots: {shots}");

        await CheckApi(url);
    }

    [Fact]
    public async Task The_node_page_follows_a_submitted_search_shows_the_cluster_and_pauses_it()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium (.ci/run does)");
        using var temp = new TempFolder();
        using var trainerFolder = new TempFolder();
        var admin = LoopbackCluster.FreePort();
        var seed = LoopbackCluster.FreePort();
        var portB = LoopbackCluster.FreePort();
        // The node wants its admin token (configured, though on loopback): the page's Pause must ask for it.
        using var node = NasProcess.Start(temp.Path, WithToken, "node", "--config", Path.Combine(RepoPaths.Root, "cluster-config"), "--roles", "coordinator,trainer",
            "--port", seed.ToString(), "--admin-port", admin.ToString(), "--trainers", "2");
        // A trainer-only node joins it, with its own SQLite store for its roster's journal.
        using var trainerNode = NasProcess.Start(trainerFolder.Path, "node", "--config", Path.Combine(RepoPaths.Root, "cluster-config"), "--roles", "trainer",
            "--port", portB.ToString(), "--seeds", $"127.0.0.1:{seed}", "--admin-port", "0", "--trainers", "1");
        await Task.WhenAll(node.WaitForLineAsync(l => l.Contains(" up: "), Patience), trainerNode.WaitForLineAsync(l => l.Contains(" up: "), Patience));
        var addressB = $"akka.tcp://nas@127.0.0.1:{portB}";
        var cluster = $"127.0.0.1:{admin}";
        var spec = temp.Write("tiny.yaml", TinySpecs.Digits(trials: 40, epochs: 8));
        var submit = await RunWithToken(temp.Path, "submit", spec, "--cluster", cluster);
        Assert.True(submit.ExitCode == 0, submit.Output);
        var searchId = submit.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith("tiny-"));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"]
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1500 } });
        await page.GotoAsync($"http://{cluster}/");
        await page.EvaluateAsync("() => window.loadedOnce = 'yes'");

        // Live, on one document: trials complete, the history grows, the cluster view lists both nodes and every trainer
        // (two here, one on the trainer node) as its node's roster reports it, under `nas admin trainer list`'s names.
        var first = await WaitForCompleted(page, n => n >= 1);
        var later = await WaitForCompleted(page, n => n > first && n >= 3); // three: the importance chart has bars
        await HistoryPoints(page, atLeast: later);
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#live-trainers tbody tr').length === 3"
            + " && [...document.querySelectorAll('#live-trainers tbody tr td:nth-child(4)')].some(td => td.textContent === 'training')");
        Assert.All(await page.Locator("#live-trainers tbody tr td:nth-child(4)").AllInnerTextsAsync(), s => Assert.Contains(s, TrainerStates));
        Assert.All(await page.Locator("#live-trainers tbody tr td:nth-child(3)").AllInnerTextsAsync(), d => Assert.Equal("cpu", d));
        Assert.Single(await page.Locator("#live-trainers tbody tr td:nth-child(2)").AllInnerTextsAsync(), n => n == addressB);
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#members tbody tr td:nth-child(3)')].filter(td => td.textContent === 'Up').length === 2");
        Assert.Equal("Running", await page.InnerTextAsync("#phase"));

        // Quarantined through the palette: the view shows it under the same name, with the reason.
        var trainerB = await page.Locator("#live-trainers tbody tr", new PageLocatorOptions { HasText = addressB }).Locator("td:nth-child(1)").InnerTextAsync();
        var quarantine = await RunWithToken(temp.Path, "admin", cluster, "trainer", "quarantine", trainerB);
        Assert.True(quarantine.ExitCode == 0, quarantine.Output);
        await page.WaitForFunctionAsync($"() => [...document.querySelectorAll('#live-trainers tbody tr')].some(tr => tr.cells[0].textContent === '{trainerB}'"
            + " && tr.cells[3].textContent === 'quarantined' && tr.cells[6].textContent.includes('quarantined by'))", null, new PageWaitForFunctionOptions { Timeout = 120_000 });
        Assert.Equal("yes", await page.EvaluateAsync<string>("() => window.loadedOnce"));
        var shots = Path.Combine(RepoPaths.Root, "TestResults", "screenshots");
        Directory.CreateDirectory(shots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "node-dashboard.png"), FullPage = true });
        await page.Locator("#history-card").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(shots, "node-history.png") });
        await page.Locator("#trials-card").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(shots, "node-trials.png") });
        await page.Locator("#live-cluster-card").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(shots, "node-cluster.png") });

        // Pause from the page: refused without the token (401), the page asks for it and sends it again; the page shows the
        // pause (from the journal's event stream), and so does the admin CLI.
        Assert.True(await page.IsEnabledAsync("#pause"));
        var asked = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            lock (asked) asked.Add(dialog.Message);
            await dialog.AcceptAsync(AdminToken);
        };
        await page.ClickAsync("#pause");
        await page.WaitForFunctionAsync("() => document.querySelector('#phase').textContent === 'Paused'", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        lock (asked) Assert.Contains("admin token", Assert.Single(asked));
        Assert.True(await page.IsEnabledAsync("#resume"));
        Assert.True(await page.IsDisabledAsync("#pause"));
        var show = await RunWithToken(temp.Path, "admin", cluster, "search", "show", searchId);
        Assert.True(show.ExitCode == 0, show.Output);
        Assert.Contains($"{searchId} | paused |", show.Output);
        Assert.Equal("yes", await page.EvaluateAsync<string>("() => window.loadedOnce"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "node-paused.png"), FullPage = true });
        output.WriteLine($"node page: {later} trials live, paused from the page; screenshots in {shots}");

        trainerNode.Signal("TERM");
        node.Signal("TERM");
        Assert.Equal(0, await trainerNode.WaitForExitAsync(Patience));
        Assert.Equal(0, await node.WaitForExitAsync(Patience));
    }

    private static readonly Dictionary<string, string> WithToken = new() { ["NAS__Admin__Token"] = AdminToken };

    /// <summary>`nas …` with the node's admin token in its environment.</summary>
    private static async Task<NasResult> RunWithToken(string folder, params string[] args)
    {
        using var nas = NasProcess.Start(folder, WithToken, args);
        return new NasResult(await nas.WaitForExitAsync(Patience), nas.Output, nas.ErrorLines);
    }

    /// <summary>The read API and /metrics of the finished search, over plain HTTP.</summary>
    private static async Task CheckApi(string url)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        using var searches = JsonDocument.Parse(await http.GetStringAsync("api/searches"));
        var search = searches.RootElement[0];
        var id = search.GetProperty("id").GetString();
        Assert.Equal(Budget, search.GetProperty("completed").GetInt32());

        using var trials = JsonDocument.Parse(await http.GetStringAsync($"api/searches/{id}/trials?sort=objective&desc=true&page=2&size=4"));
        Assert.Equal(Budget, trials.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(4, trials.RootElement.GetProperty("trials").GetArrayLength());

        using var best = JsonDocument.Parse(await http.GetStringAsync($"api/searches/{id}/best"));
        using var top = JsonDocument.Parse(await http.GetStringAsync($"api/searches/{id}/trials?sort=objective&desc=true&size=1"));
        Assert.Equal(top.RootElement.GetProperty("trials")[0].GetProperty("trialId").GetInt32(), best.RootElement.GetProperty("trialId").GetInt32());

        var badSort = await http.GetAsync($"api/searches/{id}/trials?sort=colour");
        Assert.Equal(HttpStatusCode.BadRequest, badSort.StatusCode);
        Assert.Contains("sort must be one of", await badSort.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("api/searches/no-such-search")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"api/searches/{id}/pareto")).StatusCode); // one objective

        var metrics = await http.GetStringAsync("metrics");
        Assert.Contains($"nas_trials_completed_total{{search=\"{id}\"}} {Budget}", metrics);
        Assert.Contains($"nas_queue_depth{{search=\"{id}\",state=\"leased\"}} 0", metrics);
    }

    private static async Task<int> WaitForCompleted(IPage page, Func<int, bool> wanted)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var n = int.Parse(await page.InnerTextAsync("#completed-count"));
            if (wanted(n)) return n;
            await Task.Delay(100);
        }
        throw new TimeoutException($"the page's completed count stayed at {await page.InnerTextAsync("#completed-count")}");
    }

    /// <summary>Points in the history chart's objective series, once it has at least <paramref name="atLeast"/>.</summary>
    private static async Task<int> HistoryPoints(IPage page, int atLeast)
    {
        await page.WaitForFunctionAsync($"() => (Chart.getChart('history')?.data.datasets[0].data.length ?? 0) >= {atLeast}");
        return await page.EvaluateAsync<int>("() => Chart.getChart('history').data.datasets[0].data.length");
    }

    private static async Task<List<double>> Column(IPage page, int column) =>
        (await page.Locator($"#trials tbody tr td:nth-child({column})").AllInnerTextsAsync())
        .Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToList();
}
