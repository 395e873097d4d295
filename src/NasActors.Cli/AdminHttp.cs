using System.Text.Json;

namespace NasActors.Cli;

/// <summary>What every client of a node's admin endpoint shares: the bearer token and the one-line error of an answer.</summary>
public static class AdminHttp
{
    /// <summary>The token from <paramref name="tokenFile"/>, else NAS__Admin__Token, else none.</summary>
    public static string? ReadToken(string? tokenFile)
    {
        if (tokenFile is not null)
        {
            if (!File.Exists(tokenFile)) throw new UsageException($"--token-file: file '{tokenFile}' not found");
            return File.ReadAllText(tokenFile).Trim();
        }
        return Environment.GetEnvironmentVariable("NAS__Admin__Token") is { Length: > 0 } env ? env.Trim() : null;
    }

    /// <summary>The <c>error</c> field of a JSON answer, else its text, else the reason phrase.</summary>
    public static async Task<string> ErrorOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            return JsonDocument.Parse(text).RootElement.GetProperty("error").GetString() ?? text;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return text.Length > 0 ? text : response.ReasonPhrase ?? "";
        }
    }
}
