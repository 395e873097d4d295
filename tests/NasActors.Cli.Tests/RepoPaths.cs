namespace NasActors.Cli.Tests;

public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Digits => Path.Combine(Root, "data", "datasets", "sklearn", "digits.csv.gz");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NasActors.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("NasActors.sln not found above the test's folder");
    }
}

/// <summary>A temporary folder deleted with the test.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("nas-test-").FullName;

    public string Write(string name, string text)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, text);
        return file;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
