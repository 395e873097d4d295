using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace NasActors.Cli.Commands.Admin;

/// <summary>The node could not be reached (down, wrong host:port, timed out): exit code <see cref="ExitCodes.ConnectionFailed"/>.</summary>
public sealed class AdminConnectionException(string message) : Exception(message);

/// <summary>The node refused: no or wrong token, or the cluster's state forbids the command. Exit code <see cref="ExitCodes.Refused"/>.</summary>
public sealed class AdminRefusedException(string message) : Exception(message);

/// <summary>
/// Talks to a node's /api/admin (<c>NasActors.Node.Http.AdminEndpoints</c>). Each failure becomes one line and its
/// exit code: 400/404 a usage error (bad argument, unknown id), 401/409 a refusal, no answer a connection error.
/// </summary>
public sealed class AdminClient : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly HttpClient _http;
    private readonly string _endpoint;

    public AdminClient(string endpoint, string? tokenFile)
    {
        var colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(endpoint[(colon + 1)..], out var port) || port is < 1 or > 65535)
            throw new UsageException($"endpoint '{endpoint}' is not host:port (a node's admin endpoint, e.g. {AdminArguments.DefaultEndpoint})");
        _endpoint = endpoint;
        _http = new HttpClient { BaseAddress = new Uri($"http://{endpoint}"), Timeout = TimeSpan.FromSeconds(30) };
        if (AdminHttp.ReadToken(tokenFile) is { } token) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public Task<T> GetAsync<T>(string path) => SendAsync<T>(HttpMethod.Get, path, null);

    public Task<T> PostAsync<T>(string path, object? body = null) => SendAsync<T>(HttpMethod.Post, path, body);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: Json) };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new AdminConnectionException($"cannot reach the admin endpoint at {_endpoint} ({e.Message}); is `nas node` running there (--admin-port)?");
        }
        using (response)
        {
            var error = response.IsSuccessStatusCode ? null : await AdminHttp.ErrorOf(response);
            switch (response.StatusCode)
            {
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    throw new AdminRefusedException($"{_endpoint} refused: a valid token is required (set NAS__Admin__Token or --token-file)");
                case HttpStatusCode.Conflict:
                    throw new AdminRefusedException($"{_endpoint} refused: {error}");
                case HttpStatusCode.BadRequest or HttpStatusCode.NotFound:
                    throw new UsageException(error!);
                case var code when !response.IsSuccessStatusCode:
                    throw new AdminConnectionException($"{_endpoint} answered {(int)code}: {error}");
            }
            return (await response.Content.ReadFromJsonAsync<T>(Json))!;
        }
    }

    public void Dispose() => _http.Dispose();
}
