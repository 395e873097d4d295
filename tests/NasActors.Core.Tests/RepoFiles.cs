namespace NasActors.Core.Tests;

/// <summary>Paths of files shipped in the repository (data/), found by walking up from the test binaries.</summary>
internal static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string Data(string relative) => Path.Combine(Root, "data", relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NasActors.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("repository root (NasActors.sln) not found above " + AppContext.BaseDirectory);
    }
}
