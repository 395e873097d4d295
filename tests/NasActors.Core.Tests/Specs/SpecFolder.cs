namespace NasActors.Core.Tests.Specs;

/// <summary>A temporary folder holding a tiny dataset, where tests write spec files.</summary>
public sealed class SpecFolder : IDisposable
{
    public SpecFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"nas-spec-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
        // 4 features, 3 classes; label last.
        File.WriteAllText(System.IO.Path.Combine(Path, "data.csv"), "0,1,2,3,0\n1,2,3,4,1\n2,3,4,5,2\n3,4,5,6,0\n");
    }

    public string Path { get; }

    public string Write(string yaml, string name = "spec.yaml")
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, yaml);
        return file;
    }

    /// <summary>A valid minimal spec with <paramref name="extra"/> top-level lines appended.</summary>
    public static string Minimal(string space = "space: {type: mlp}", string extra = "") => $"""
        name: test
        seed: 3
        {space}
        dataset: {"{"}path: data.csv{"}"}
        strategy: {"{"}name: random{"}"}
        budget: {"{"}trials: 5{"}"}
        {extra}
        """;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
