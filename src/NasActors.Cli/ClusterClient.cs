using System.ComponentModel;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using NasActors.Node.Http;
using Spectre.Console.Cli;

namespace NasActors.Cli;

/// <summary>Options of a command sent to a running cluster's admin API.</summary>
public class ClusterSearchSettings : SearchSettings
{
    [CommandOption("--cluster <HOST:PORT>")]
    [Description("send the command to a running cluster: a node's admin API (nas node --admin-port, default 9110)")]
    public string? Cluster { get; set; }

    [CommandOption("--token-file <FILE>")]
    [Description("file holding the admin API's bearer token (or set NAS__Admin__Token)")]
    public string? TokenFile { get; set; }
}

/// <summary>
/// Talks to a node's admin HTTP API (<see cref="SearchCommandEndpoints"/>). Every failure is one line: an
/// unreachable node, a refused token, a rejected request.
/// </summary>
public sealed class ClusterClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;
    private readonly string _cluster;

    public ClusterClient(string cluster, string? tokenFile)
    {
        var colon = cluster.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(cluster[(colon + 1)..], out var port) || port is < 1 or > 65535)
            throw new UsageException($"--cluster: '{cluster}' is not host:port (the node's admin API, e.g. 127.0.0.1:9110)");
        _cluster = cluster;
        _http = new HttpClient { BaseAddress = new Uri($"http://{cluster}"), Timeout = TimeSpan.FromSeconds(60) };
        if (AdminHttp.ReadToken(tokenFile) is { } token) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public Task<SearchCommandReply> SubmitAsync(SubmitRequest request) => SendAsync(HttpMethod.Post, "/api/searches", request);

    public Task<SearchCommandReply> CommandAsync(string verb, string searchId) => SendAsync(HttpMethod.Post, $"/api/searches/{searchId}/{verb}", null);

    public Task<SearchCommandReply> StatusAsync(string searchId) => SendAsync(HttpMethod.Get, $"/api/searches/{searchId}/status", null);

    private async Task<SearchCommandReply> SendAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: Json) };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new UsageException($"--cluster: cannot reach the admin API at {_cluster} ({e.Message}); is `nas node` running with --admin-port?");
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
                throw new UsageException($"--cluster: {_cluster} refused the token (set NAS__Admin__Token or --token-file)");
            if (!response.IsSuccessStatusCode)
                throw new UsageException($"--cluster: {_cluster} answered {(int)response.StatusCode}: {await AdminHttp.ErrorOf(response)}");
            return (await response.Content.ReadFromJsonAsync<SearchCommandReply>(Json))!;
        }
    }

    public void Dispose() => _http.Dispose();
}
