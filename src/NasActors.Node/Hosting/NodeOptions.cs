namespace NasActors.Node.Hosting;

/// <summary>How this process joins the actor system: its address, its store and its roles.</summary>
public sealed record NodeOptions
{
    public const string SystemName = "nas";

    /// <summary>Folder of the embedded store: nas.db (journal + snapshots), logs/, searches/.</summary>
    public string StoreDirectory { get; init; } = Path.GetFullPath(".nas");

    public StorageKind Storage { get; init; } = StorageKind.Sqlite;

    /// <summary>PostgreSQL connection string when <see cref="Storage"/> is PostgreSql.</summary>
    public string? ConnectionString { get; init; }

    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port: right for an embedded single-node run.</summary>
    public int Port { get; init; }

    /// <summary>Empty: this node forms a cluster of its own (embedded mode).</summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = [];

    public IReadOnlyList<string> Roles { get; init; } = ["nas"];

    /// <summary>Akka's own log lines go to this file instead of the terminal (null: terminal).</summary>
    public string? LogFile { get; init; }

    public string SqliteFile => Path.Combine(StoreDirectory, "nas.db");
}

public enum StorageKind
{
    Sqlite,
    PostgreSql
}
