namespace NasActors.Node.Tests.Deployment;

/// <summary>The `nas` program this test run was built with (this project builds the CLI without referencing it).</summary>
public static class NasBuild
{
    /// <summary>tests/NasActors.Node.Tests/bin/&lt;Configuration&gt;/&lt;tfm&gt;/ → src/NasActors.Cli/bin/&lt;Configuration&gt;/&lt;tfm&gt;/nas (the apphost).</summary>
    public static string Program
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var program = Path.Combine(RepositoryRoot.Path, "src", "NasActors.Cli", "bin", here.Parent!.Name, here.Name, "nas");
            return File.Exists(program) ? program : throw new FileNotFoundException($"build the CLI first: {program} is missing");
        }
    }
}
