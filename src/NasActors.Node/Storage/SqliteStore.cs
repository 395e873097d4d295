using Microsoft.Data.Sqlite;

namespace NasActors.Node.Storage;

/// <summary>The embedded journal file: created on first use, in WAL mode so readers never block the writer.</summary>
public static class SqliteStore
{
    public static string Prepare(string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 30
        }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // WAL is a property of the file: set once, every later connection uses it.
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
        return connectionString;
    }
}
