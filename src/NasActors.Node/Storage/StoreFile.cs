using System.Buffers.Binary;
using System.Text;

namespace NasActors.Node.Storage;

/// <summary>
/// Checks a SQLite journal file before anything opens it, so a damaged file is reported at once in
/// one line instead of surfacing as journal failures and ask timeouts.
/// </summary>
public static class StoreFile
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("SQLite format 3\0");
    private const int HeaderLength = 100;

    /// <summary>Throws <see cref="StoreException"/> when <paramref name="file"/> exists and is not a whole SQLite database.</summary>
    public static void CheckHeader(string file)
    {
        var info = new FileInfo(file);
        if (!info.Exists || info.Length == 0) return; // a new store: SQLite creates it
        var header = new byte[HeaderLength];
        int read;
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            read = stream.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false);
        if (read < HeaderLength) throw Corrupt(file, $"truncated ({info.Length} bytes, shorter than a SQLite header)");
        if (!header.AsSpan(0, Magic.Length).SequenceEqual(Magic)) throw Corrupt(file, "not a SQLite database (its header is wrong)");
        var pageSize = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(16)) is var p && p == 1 ? 65536 : p;
        if (pageSize < 512 || info.Length % pageSize != 0)
            throw Corrupt(file, $"truncated or damaged ({info.Length} bytes is not a whole number of {pageSize}-byte pages)");
        // The page count in the header is valid when the change counter matches version-valid-for. With a
        // WAL beside the file a checkpoint may be writing it right now, so only a quiet file is measured.
        var pages = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(28));
        var valid = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(24)) == BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(92));
        if (valid && pages > 0 && new FileInfo(file + "-wal") is not { Exists: true, Length: > 0 } && info.Length < (long)pages * pageSize)
            throw Corrupt(file, $"truncated ({info.Length} bytes, its header says {(long)pages * pageSize})");
    }

    public static StoreException Corrupt(string file, string what) => new(
        $"journal '{file}' is {what}. Move it aside (mv {file} {file}.broken) to start an empty store, restore it from a backup, " +
        $"or salvage it: sqlite3 {file}.broken .recover | sqlite3 {file}");
}
