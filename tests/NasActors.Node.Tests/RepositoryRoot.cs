namespace NasActors.Node.Tests;

/// <summary>The checkout the tests run from (the folder holding NasActors.sln).</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "NasActors.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("NasActors.sln not found above " + AppContext.BaseDirectory);
    }
}
