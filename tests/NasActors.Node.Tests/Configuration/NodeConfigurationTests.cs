using NasActors.Node.Configuration;
using NasActors.Node.Hosting;

namespace NasActors.Node.Tests.Configuration;

/// <summary>
/// The layered loader. These tests set NAS__ environment variables, so they share one collection and
/// never run alongside each other; each clears what it set.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class NodeConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nas-config-").FullName;
    private readonly List<string> _variables = [];

    public void Dispose()
    {
        foreach (var name in _variables) Environment.SetEnvironmentVariable(name, null);
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void The_committed_cluster_config_loads_with_its_documented_defaults()
    {
        var options = NodeConfiguration.Load(Path.Combine(RepositoryRoot.Path, "cluster-config"));

        Assert.Equal(["coordinator", "trainer"], options.Roles);
        Assert.Equal(StorageKind.Sqlite, options.Storage);
        Assert.Equal("127.0.0.1", options.Hostname);
        Assert.Equal(4053, options.Port);
        Assert.Empty(options.SeedNodes);
        Assert.Null(options.Trainers);
        Assert.Null(options.Tls);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Resilience.AcceptableHeartbeatPause);
        Assert.Equal("keep-majority", options.Resilience.SplitBrainStrategy);
    }

    [Fact]
    public void Layers_apply_in_order_base_storage_role_site()
    {
        Layers(basePort: 1001);
        Assert.Equal(1001, Load().Port);
        Layers(basePort: 1001, storagePort: 1002);
        Assert.Equal(1002, Load().Port);
        Layers(basePort: 1001, storagePort: 1002, coordinatorPort: 1003);
        Assert.Equal(1003, Load().Port);
        Layers(basePort: 1001, storagePort: 1002, coordinatorPort: 1003, trainerPort: 1004);
        // The trainer layer comes after the coordinator layer whatever order the roles are given in.
        Assert.Equal(1004, Load(("Node:Roles", "trainer,coordinator")).Port);
        Assert.Equal(1003, Load(("Node:Roles", "coordinator")).Port);
        Layers(basePort: 1001, storagePort: 1002, coordinatorPort: 1003, trainerPort: 1004, sitePort: 1005);
        Assert.Equal(1005, Load(("Node:Roles", "trainer,coordinator"), ("Node:Site", "lab")).Port);
        Assert.Equal(1004, Load(("Node:Roles", "trainer,coordinator")).Port);
    }

    [Fact]
    public void Environment_overrides_every_layer_and_the_command_line_overrides_the_environment()
    {
        Layers(basePort: 1001, storagePort: 1002, coordinatorPort: 1003, trainerPort: 1004, sitePort: 1005);
        SetVariable("NAS__Node__Port", "2001");
        SetVariable("NAS__Node__Trainers", "6");

        var fromEnvironment = Load(("Node:Site", "lab"));
        var fromCommandLine = Load(("Node:Site", "lab"), ("Node:Port", "3001"));

        Assert.Equal(2001, fromEnvironment.Port);
        Assert.Equal(6, fromEnvironment.Trainers);
        Assert.Equal(3001, fromCommandLine.Port);
        Assert.Equal(6, fromCommandLine.Trainers);
    }

    [Fact]
    public void The_environment_can_choose_the_storage_layer_and_supply_the_connection_string()
    {
        Layers();
        Write("storage/postgres.json", """{ "Node": { "Port": 5555 } }""");
        SetVariable("NAS__Node__Storage", "postgres");
        SetVariable("NAS__Node__ConnectionString", "Host=db;Username=nas");

        var options = Load();

        Assert.Equal(StorageKind.PostgreSql, options.Storage);
        Assert.Equal(5555, options.Port);
        Assert.Equal("Host=db;Username=nas", options.ConnectionString);
    }

    [Fact]
    public void A_connection_string_file_is_read_and_trimmed()
    {
        Layers();
        Write("storage/postgres.json", "{}");
        Write("secret", "Host=db;Password=s3cret\n");

        var options = Load(("Node:Storage", "postgres"), ("Node:ConnectionStringFile", Path.Combine(_folder, "secret")));

        Assert.Equal("Host=db;Password=s3cret", options.ConnectionString);
    }

    [Fact]
    public void A_postgres_store_without_a_connection_string_names_the_key_and_the_variable()
    {
        Layers();
        Write("storage/postgres.json", "{}");

        var error = Assert.Throws<NodeConfigurationException>(() => Load(("Node:Storage", "postgres")));

        Assert.Contains("Node:ConnectionString", error.Message);
        Assert.Contains("NAS__Node__ConnectionString", error.Message);
    }

    [Fact]
    public void A_secret_in_a_layer_file_is_refused_naming_the_file()
    {
        Layers();
        Write("storage/postgres.json", """{ "Node": { "ConnectionString": "Host=db;Password=oops" } }""");

        var error = Assert.Throws<NodeConfigurationException>(() => Load(("Node:Storage", "postgres")));

        Assert.StartsWith(Path.Combine(_folder, "storage", "postgres.json") + ": Node:ConnectionString:", error.Message);
    }

    [Fact]
    public void An_invalid_value_names_the_file_that_supplied_it_and_the_key()
    {
        Layers();
        Write("site/lab.json", """{ "Node": { "Port": "eighty" } }""");

        var error = Assert.Throws<NodeConfigurationException>(() => Load(("Node:Site", "lab")));

        Assert.Equal($"{Path.Combine(_folder, "site", "lab.json")}: Node:Port: 'eighty' is not a whole number from 0 to 65535", error.Message);
    }

    [Fact]
    public void An_invalid_value_from_the_environment_names_the_variable()
    {
        Layers();
        SetVariable("NAS__Node__DrainBefore", "soon");

        var error = Assert.Throws<NodeConfigurationException>(() => Load());

        Assert.StartsWith("environment variable NAS__Node__DrainBefore: Node:DrainBefore: 'soon' is not a duration", error.Message);
    }

    [Fact]
    public void An_invalid_command_line_value_says_so()
    {
        Layers();

        var error = Assert.Throws<NodeConfigurationException>(() => Load(("Node:Roles", "coordinator,evaluator")));

        Assert.StartsWith("command line: Node:Roles: unknown role 'evaluator'", error.Message);
    }

    [Fact]
    public void A_missing_site_layer_names_the_file()
    {
        Layers();

        var error = Assert.Throws<NodeConfigurationException>(() => Load(("Node:Site", "nowhere")));

        Assert.Equal($"{Path.Combine(_folder, "site", "nowhere.json")}: layer file not found (chosen by Node:Site)", error.Message);
    }

    [Fact]
    public void Broken_json_names_the_file_and_the_line()
    {
        Layers();
        Write("role/trainer.json", "{\n  \"Node\": {\n    \"Port\": 1,,\n  }\n}");

        var error = Assert.Throws<NodeConfigurationException>(() => Load(("Node:Roles", "trainer")));

        Assert.StartsWith($"{Path.Combine(_folder, "role", "trainer.json")}: invalid JSON at line 3:", error.Message);
    }

    [Fact]
    public void Seeds_become_akka_addresses_and_a_malformed_seed_is_named()
    {
        Layers();

        var options = Load(("Node:Seeds", "node01:4053, node02:4054"));
        var error = Assert.Throws<NodeConfigurationException>(() => Load(("Node:Seeds", "node01")));

        Assert.Equal(["akka.tcp://nas@node01:4053", "akka.tcp://nas@node02:4054"], options.SeedNodes);
        Assert.Equal("command line: Node:Seeds: 'node01' is not host:port", error.Message);
    }

    [Fact]
    public void Tls_needs_an_existing_certificate_and_takes_its_password_from_the_environment()
    {
        Layers();
        Write("cluster.pfx", "not really a certificate");
        SetVariable("NAS__Remoting__Tls__Password", "pfx-password");

        var options = Load(("Remoting:Tls:CertificatePath", Path.Combine(_folder, "cluster.pfx")));
        var missing = Assert.Throws<NodeConfigurationException>(() => Load(("Remoting:Tls:CertificatePath", Path.Combine(_folder, "none.pfx"))));

        Assert.Equal(new RemotingTls(Path.Combine(_folder, "cluster.pfx"), "pfx-password"), options.Tls);
        Assert.Contains("Remoting:Tls:CertificatePath: file", missing.Message);
    }

    private NodeOptions Load(params (string Key, string Value)[] overrides) =>
        NodeConfiguration.Load(_folder, overrides.ToDictionary(o => o.Key, o => (string?)o.Value));

    /// <summary>A cluster-config folder whose every layer sets Node:Port (when given), so the winner is visible.</summary>
    private void Layers(int? basePort = null, int? storagePort = null, int? coordinatorPort = null, int? trainerPort = null, int? sitePort = null)
    {
        Write("base.json", $$"""{ "Node": { "Roles": "coordinator", "Storage": "sqlite" {{Port(basePort)}} } }""");
        Write("storage/sqlite.json", $$"""{ "Node": { {{Port(storagePort).TrimStart(',')}} } }""");
        Write("role/coordinator.json", $$"""{ "Node": { {{Port(coordinatorPort).TrimStart(',')}} } }""");
        Write("role/trainer.json", $$"""{ "Node": { {{Port(trainerPort).TrimStart(',')}} } }""");
        Write("site/lab.json", $$"""{ "Node": { {{Port(sitePort).TrimStart(',')}} } }""");
    }

    private static string Port(int? port) => port is null ? "" : $", \"Port\": {port}";

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private void SetVariable(string name, string value)
    {
        _variables.Add(name);
        Environment.SetEnvironmentVariable(name, value);
    }
}
