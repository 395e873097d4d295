using Microsoft.Data.Sqlite;

namespace NasActors.Node.Storage;

/// <summary>
/// The embedded journal file: created on first use, in WAL mode so readers never block the writer.
/// Refused, in one clear line, when it is damaged or sits on a network filesystem.
/// </summary>
public static class SqliteStore
{
    private const int SqliteCorrupt = 11, SqliteNotADatabase = 26;

    public static string Prepare(string file)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        StoreFileSystem.RefuseNetwork(directory);
        StoreFile.CheckHeader(file);
        Directory.CreateDirectory(directory);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 30
        }.ToString();
        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            // WAL is a property of the file: set once, every later connection uses it.
            command.CommandText = "PRAGMA journal_mode=WAL;";
            command.ExecuteNonQuery();
            // Damage inside the file (pages lost, a torn copy) shows here, before the journal is replayed.
            command.CommandText = "PRAGMA quick_check;";
            if (command.ExecuteScalar() is string result && result != "ok") throw StoreFile.Corrupt(file, $"damaged ({result})");
        }
        catch (SqliteException e) when (IsCorruption(e))
        {
            throw StoreFile.Corrupt(file, $"damaged ({e.Message.TrimEnd('.')})");
        }
        return connectionString;
    }

    public static bool IsCorruption(SqliteException e) => e.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase;
}
