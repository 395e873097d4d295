using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;
using NasActors.Node.Hosting;

namespace NasActors.Node.Configuration;

/// <summary>
/// Reads a node's configuration from the layered files in a cluster-config folder:
/// base.json → storage/{sqlite|postgres}.json → role/{role}.json for each role → site/{site}.json,
/// then NAS__-prefixed environment variables (NAS__Node__Port), then the command line's explicit
/// values (keys such as NodeKeys.Port, see <see cref="NodeKeys"/>). Later sources win. cluster-config/README.md lists every key.
/// </summary>
public static class NodeConfiguration
{
    public const string EnvironmentPrefix = "NAS__";
    private static readonly string[] KnownRoles = ["coordinator", "trainer"];

    /// <param name="configDirectory">The cluster-config folder.</param>
    /// <param name="overrides">Explicit command-line values by configuration key (NodeKeys.Port → "4053").</param>
    /// <exception cref="NodeConfigurationException">A layer is missing or unreadable, or a value is invalid.</exception>
    public static NodeOptions Load(string configDirectory, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        overrides ??= new Dictionary<string, string?>();
        var directory = Path.GetFullPath(configDirectory);
        if (!Directory.Exists(directory))
            throw new NodeConfigurationException($"{configDirectory}: configuration folder not found (expected base.json, storage/, role/)");

        // The storage, role and site values choose the layers, so read them first from everything but those layers.
        var selectors = new ConfigurationReader(Build(directory, ["base.json"], overrides), configDirectory);
        var storage = selectors.Choice(NodeKeys.Storage, ["sqlite", "postgres"]) ?? "sqlite";
        var given = selectors.List(NodeKeys.Roles);
        foreach (var role in given)
            if (!KnownRoles.Contains(role))
                throw selectors.Error(NodeKeys.Roles, $"unknown role '{role}'; expected coordinator, trainer or both");
        // One canonical order, so "trainer,coordinator" layers its files exactly like "coordinator,trainer".
        var roles = KnownRoles.Where(given.Contains).ToArray();
        if (roles.Length == 0) throw selectors.Error(NodeKeys.Roles, "no role; expected coordinator, trainer or both");
        var site = selectors.Text(NodeKeys.Site);

        var layers = new List<string> { "base.json", Path.Combine("storage", storage + ".json") };
        layers.AddRange(roles.Select(role => Path.Combine("role", role + ".json")));
        if (site is not null) layers.Add(Path.Combine("site", site + ".json"));
        foreach (var layer in layers.Skip(1))
            if (!File.Exists(Path.Combine(directory, layer)))
                throw new NodeConfigurationException($"{Path.Combine(configDirectory, layer)}: layer file not found (chosen by Node:{LayerKey(layer)})");

        return Bind(new ConfigurationReader(Build(directory, layers, overrides), configDirectory), storage, roles, site);
    }

    /// <summary>
    /// What `nas node` uses: the layered configuration, then what the batch allocation this process runs in
    /// decides (seeds, host, port per local rank, GPUs, drain moment; see <see cref="Bootstrap.BatchBootstrap"/>).
    /// </summary>
    public static NodeOptions LoadForThisProcess(string configDirectory, IReadOnlyDictionary<string, string?>? overrides = null) =>
        Bootstrap.BatchBootstrap.Apply(Load(configDirectory, overrides), Bootstrap.BatchEnvironment.Capture());

    private static string LayerKey(string layer) => layer.StartsWith("storage") ? "Storage" : layer.StartsWith("role") ? "Roles" : "Site";

    private static IConfigurationRoot Build(string directory, IEnumerable<string> layers, IReadOnlyDictionary<string, string?> overrides)
    {
        var builder = new ConfigurationBuilder().SetBasePath(directory);
        foreach (var layer in layers)
        {
            CheckJson(Path.Combine(directory, layer));
            builder.AddJsonFile(layer, optional: false, reloadOnChange: false);
        }
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddInMemoryCollection(overrides);
        return builder.Build();
    }

    /// <summary>Parses a layer the way the JSON provider does (comments and trailing commas allowed) to report its line.</summary>
    private static void CheckJson(string file)
    {
        if (!File.Exists(file)) throw new NodeConfigurationException($"{file}: layer file not found");
        try
        {
            using var _ = JsonDocument.Parse(File.ReadAllText(file),
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new NodeConfigurationException($"{file}: invalid JSON at line {e.LineNumber + 1}: {e.Message.Split(" LineNumber")[0].Split(" Path:")[0]}");
        }
    }

    private static NodeOptions Bind(ConfigurationReader config, string storage, IReadOnlyList<string> roles, string? site)
    {
        var defaults = new NodeOptions();
        var storageKind = storage == "postgres" ? StorageKind.PostgreSql : StorageKind.Sqlite;
        var connection = config.Secret(NodeKeys.ConnectionString, NodeKeys.ConnectionStringFile);
        if (storageKind == StorageKind.PostgreSql && connection is null)
            throw config.Error(NodeKeys.ConnectionString,
                $"a postgres store needs a connection string: set {EnvironmentPrefix}Node__ConnectionString or Node:ConnectionStringFile");

        var certificate = config.Text(NodeKeys.TlsCertificatePath);
        var tls = certificate is null ? null : new RemotingTls(
            config.ExistingFile(NodeKeys.TlsCertificatePath),
            config.Secret(NodeKeys.TlsPassword, NodeKeys.TlsPasswordFile));

        var resilience = new ClusterResilience();
        var host = config.Text(NodeKeys.Host) ?? defaults.Hostname;
        var addressing = defaults with { Tls = tls };
        return addressing with
        {
            Roles = roles,
            Storage = storageKind,
            StoreDirectory = Path.GetFullPath(config.Text(NodeKeys.StoreDirectory) ?? defaults.StoreDirectory),
            ConnectionString = connection,
            Hostname = host,
            // A node bound to every interface must advertise a name the others can reach.
            PublicHostname = config.Text(NodeKeys.PublicHost) ?? (host is "0.0.0.0" or "::" ? System.Net.Dns.GetHostName() : null),
            Port = config.Integer(NodeKeys.Port, 0, 65535) ?? defaults.Port,
            SeedNodes = config.List(NodeKeys.Seeds).Select(seed => SeedAddress(config, addressing, seed)).ToArray(),
            ArtifactRoot = config.Text(NodeKeys.ArtifactRoot) is { } artifacts ? Path.GetFullPath(artifacts) : null,
            Trainers = config.Text(NodeKeys.Trainers) is null or "auto" ? null : config.Integer(NodeKeys.Trainers, 0, 4096),
            Site = site,
            DrainBefore = config.Duration(NodeKeys.DrainBefore),
            QuarantineAfter = config.Integer(NodeKeys.QuarantineAfter, 1, 1000) ?? 3,
            QuarantineCooldown = config.Duration(NodeKeys.QuarantineCooldown) ?? TimeSpan.FromMinutes(1),
            LogFile = config.Text(NodeKeys.LogFile),
            Admin = AdminOf(config),
            Resilience = resilience with
            {
                HeartbeatInterval = config.Duration(NodeKeys.HeartbeatInterval) ?? resilience.HeartbeatInterval,
                AcceptableHeartbeatPause = config.Duration(NodeKeys.AcceptableHeartbeatPause) ?? resilience.AcceptableHeartbeatPause,
                StableAfter = config.Duration(NodeKeys.StableAfter) ?? resilience.StableAfter,
                SplitBrainStrategy = config.Choice(NodeKeys.SplitBrainStrategy, ["keep-majority", "keep-oldest", "static-quorum", "down-all"])
                                     ?? resilience.SplitBrainStrategy
            }
        };
    }

    /// <summary>The admin endpoint: a bearer token is required for mutating calls unless it is bound to loopback.</summary>
    private static AdminEndpoint AdminOf(ConfigurationReader config)
    {
        var admin = new AdminEndpoint
        {
            Host = config.Text(NodeKeys.AdminHost) ?? AdminEndpoint.DefaultHost,
            Port = config.Integer(NodeKeys.AdminPort, 0, 65535) ?? AdminEndpoint.DefaultPort,
            Token = config.Secret(NodeKeys.AdminToken, NodeKeys.AdminTokenFile)
        };
        if (admin.Port > 0 && !admin.IsLoopback && admin.Token is null)
            throw config.Error(NodeKeys.AdminHost,
                $"the admin endpoint on '{admin.Host}' is reachable from other machines: set {EnvironmentPrefix}Admin__Token or {NodeKeys.AdminTokenFile}");
        return admin;
    }

    /// <summary>"host:port" → the Akka address of the node listening there.</summary>
    private static string SeedAddress(ConfigurationReader config, NodeOptions node, string seed)
    {
        var colon = seed.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(seed[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw config.Error(NodeKeys.Seeds, $"'{seed}' is not host:port");
        return node.NodeAddress(seed[..colon], port);
    }

    /// <summary>Typed reads that name the key and the source that supplied a bad value.</summary>
    private sealed class ConfigurationReader(IConfigurationRoot root, string configDirectory)
    {
        public string? Text(string key) => string.IsNullOrWhiteSpace(root[key]) ? null : root[key]!.Trim();

        public IReadOnlyList<string> List(string key) =>
            Text(key)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

        public string? Choice(string key, string[] allowed)
        {
            var value = Text(key)?.ToLowerInvariant();
            if (value is null || allowed.Contains(value)) return value;
            throw Error(key, $"'{Text(key)}' is not one of {string.Join(", ", allowed)}");
        }

        public int? Integer(string key, int min, int max)
        {
            var value = Text(key);
            if (value is null) return null;
            if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max) return number;
            throw Error(key, $"'{value}' is not a whole number from {min} to {max}{(key == NodeKeys.Trainers ? " or auto" : "")}");
        }

        public TimeSpan? Duration(string key)
        {
            var value = Text(key);
            if (value is null) return null;
            return Durations.TryParse(value, out var duration) ? duration : throw Error(key, $"'{value}' is not {Durations.Expected}");
        }

        public string ExistingFile(string key)
        {
            var path = Path.GetFullPath(Text(key)!);
            return File.Exists(path) ? path : throw Error(key, $"file '{path}' not found");
        }

        /// <summary>
        /// A password or connection string: from the environment, the command line, or a file named by
        /// <paramref name="fileKey"/>; never from a committed layer file.
        /// </summary>
        public string? Secret(string key, string fileKey)
        {
            if (Text(key) is { } value)
            {
                if (Source(key) is JsonConfigurationProvider)
                    throw Error(key, $"secrets must not be in configuration files; use {EnvironmentPrefix}{key.Replace(":", "__")} or {fileKey}");
                return value;
            }
            if (Text(fileKey) is null) return null;
            var file = ExistingFile(fileKey);
            var secret = File.ReadAllText(file).Trim();
            return secret.Length > 0 ? secret : throw Error(fileKey, $"file '{file}' is empty");
        }

        public NodeConfigurationException Error(string key, string problem) => new($"{Describe(key)}: {key}: {problem}");

        private IConfigurationProvider? Source(string key) =>
            root.Providers.Reverse().FirstOrDefault(provider => provider.TryGet(key, out _));

        private string Describe(string key) => Source(key) switch
        {
            JsonConfigurationProvider json => Path.Combine(configDirectory, json.Source.Path ?? "?"),
            EnvironmentVariablesConfigurationProvider => $"environment variable {EnvironmentPrefix}{key.Replace(":", "__")}",
            MemoryConfigurationProvider => "command line",
            _ => "configuration"
        };
    }
}
