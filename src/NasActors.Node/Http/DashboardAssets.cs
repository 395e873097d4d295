using Microsoft.AspNetCore.Http;

namespace NasActors.Node.Http;

/// <summary>The dashboard's static files, embedded in this assembly under <c>dashboard/</c> (see the project file).</summary>
public static class DashboardAssets
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8", [".js"] = "text/javascript; charset=utf-8", [".css"] = "text/css; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8", [".md"] = "text/plain; charset=utf-8"
    };

    public static IResult Serve(string name)
    {
        var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream($"dashboard/{name}");
        return stream is null
            ? Results.NotFound()
            : Results.Stream(stream, ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream"));
    }
}
