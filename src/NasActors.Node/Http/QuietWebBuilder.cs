using Microsoft.AspNetCore.Builder;

namespace NasActors.Node.Http;

/// <summary>
/// The web builder of the admin API and the dashboard: ASP.NET Core's slim builder without its file watching. By default
/// it reads appsettings.json from the working folder with reload on change, which watches that folder and every folder
/// under it (inotify, a ".NET File Watch" thread): a node started in a shared artifact root would wake on every
/// checkpoint written and spend inotify watches on every trial's folder, and the cluster benchmark measured that thread
/// at ~2 % of the CPU. Nothing here reads ASP.NET configuration files (a node has its own layered configuration), so the
/// content root is the installation folder and nothing reloads.
/// </summary>
public static class QuietWebBuilder
{
    public static WebApplicationBuilder Create() => WebApplication.CreateSlimBuilder(new WebApplicationOptions
    {
        ContentRootPath = AppContext.BaseDirectory,
        Args = ["--hostBuilder:reloadConfigOnChange=false"]
    });
}
