using System.Data.Common;
using Microsoft.Data.Sqlite;
using NasActors.Node.Hosting;

namespace NasActors.Node.Tests;

/// <summary>
/// Where a node test keeps its data: a temporary store folder (logs, block files, and the SQLite journal) with the
/// journal on SQLite or on a fresh database of a throwaway PostgreSQL, and that journal read back without the product.
/// </summary>
public sealed class NodeStore : IDisposable
{
    private readonly Func<DbConnection> _connect;

    private NodeStore(string prefix, Func<string, NodeOptions> options, Func<string, DbConnection> connect)
    {
        Folder = Directory.CreateTempSubdirectory(prefix).FullName;
        Options = options(Folder);
        _connect = () => connect(Folder);
    }

    public string Folder { get; }

    public NodeOptions Options { get; }

    public static NodeStore Sqlite(string prefix) => new(prefix,
        folder => new NodeOptions { StoreDirectory = folder, LogFile = Path.Combine(folder, "logs", "node.log") },
        folder => new SqliteConnection($"Data Source={Path.Combine(folder, "nas.db")};Pooling=False"));

    /// <summary>A database of its own per store: the search index is one entity per journal and must start empty.</summary>
    public static NodeStore Postgres(PostgresServer server, string prefix)
    {
        var connectionString = server.NewDatabase();
        return new(prefix,
            folder => new NodeOptions
            {
                StoreDirectory = folder, Storage = StorageKind.PostgreSql, ConnectionString = connectionString,
                LogFile = Path.Combine(folder, "logs", "node.log")
            },
            _ => new Npgsql.NpgsqlConnection(connectionString));
    }

    /// <summary>Distinct manifests one entity has in the journal (or, with <paramref name="table"/> "snapshot", its snapshots).</summary>
    public IReadOnlyList<string> Manifests(string persistenceId, string table = "journal")
    {
        using var db = _connect();
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT DISTINCT manifest FROM {table} WHERE persistence_id = @id";
        var id = command.CreateParameter();
        id.ParameterName = "id";
        id.Value = persistenceId;
        command.Parameters.Add(id);
        var rows = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) rows.Add(reader.GetString(0));
        return rows;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
