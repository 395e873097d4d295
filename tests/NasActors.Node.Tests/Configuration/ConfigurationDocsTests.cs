using System.Reflection;
using NasActors.Node.Configuration;

namespace NasActors.Node.Tests.Configuration;

public sealed class ConfigurationDocsTests
{
    public static TheoryData<string> Keys() =>
        new(typeof(NodeKeys).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!));

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_configuration_key_is_documented_in_the_cluster_config_readme(string key)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "cluster-config", "README.md"));

        Assert.Contains($"| `{key}` |", readme);
    }
}
