using NasActors.Node.Storage;

namespace NasActors.Cli.Tests;

/// <summary>The store's own checks, in-process: network filesystems, damaged journal files, the writer lock.</summary>
public class StoreTests
{
    [Theory]
    [InlineData(0x6969, "NFS")]
    [InlineData(0x0BD00BD0, "Lustre")]
    [InlineData(0x47504653, "GPFS")]
    [InlineData(0xFF534D42, "CIFS")]
    [InlineData(0xFE534D42, "SMB2")]
    [InlineData(0x00C36400, "Ceph")]
    [InlineData(0x19830326, "BeeGFS")]
    [InlineData(0x65735546, "FUSE")]
    // statfs's f_type is a signed long: a magic with the top bit set may arrive sign-extended.
    [InlineData(unchecked((long)0xFFFFFFFFFF534D42), "CIFS")]
    public void Network_filesystems_are_recognised_by_their_magic(long magic, string kind) =>
        Assert.Equal(kind, StoreFileSystem.NetworkKind(magic));

    [Theory]
    [InlineData(0xEF53)] // ext2/3/4
    [InlineData(0x58465342)] // XFS
    [InlineData(0x9123683E)] // Btrfs
    [InlineData(0x01021994)] // tmpfs
    [InlineData(0x794C7630)] // overlayfs
    public void Local_filesystems_are_not_network_ones(long magic) => Assert.Null(StoreFileSystem.NetworkKind(magic));

    [Fact]
    public void A_local_temporary_folder_is_accepted() =>
        StoreFileSystem.RefuseNetwork(Path.Combine(Path.GetTempPath(), "nas-not-created-" + Guid.NewGuid().ToString("N")));

    [Fact]
    public void A_second_lock_on_a_store_is_refused_naming_the_holder_and_free_again_after_release()
    {
        using var temp = new TempFolder();
        using (StoreLock.Acquire(temp.Path, "nas run a.yaml"))
        {
            var busy = Assert.Throws<StoreBusyException>(() => StoreLock.Acquire(temp.Path, "nas run b.yaml"));
            Assert.Contains($"PID {Environment.ProcessId} on {Environment.MachineName}", busy.Message);
            Assert.Contains("nas run a.yaml", busy.Message);
            Assert.Contains("PostgreSQL", busy.Message);
        }
        StoreLock.Acquire(temp.Path, "nas run b.yaml").Dispose();
        // Read once released: .NET's FileStream takes a shared flock of its own, which the holder's lock refuses.
        Assert.Contains("command=nas run b.yaml", File.ReadAllText(Path.Combine(temp.Path, StoreLock.FileName)));
    }

    [Fact]
    public void A_missing_journal_reads_as_no_search_and_creates_nothing()
    {
        using var temp = new TempFolder();
        var store = Path.Combine(temp.Path, ".nas");
        var status = new NasActors.Node.Storage.JournalReader(Path.Combine(store, "nas.db")).Status(new NasActors.Engine.Searches.SearchId("tiny-1"));
        Assert.Equal(NasActors.Engine.Searches.SearchPhase.NotStarted, status.Phase);
        Assert.False(Directory.Exists(store));
    }

    [Fact]
    public void A_journal_shorter_than_its_header_says_is_reported_as_truncated()
    {
        using var temp = new TempFolder();
        var db = Path.Combine(temp.Path, "nas.db");
        // A real database of several pages, then cut in half.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE t(x BLOB); INSERT INTO t VALUES (randomblob(20000));";
            command.ExecuteNonQuery();
        }
        var length = new FileInfo(db).Length;
        using (var file = new FileStream(db, FileMode.Open)) file.SetLength(length / 2 / 4096 * 4096);
        var error = Assert.Throws<StoreException>(() => StoreFile.CheckHeader(db));
        Assert.Contains("truncated", error.Message);
        Assert.Contains($"its header says {length}", error.Message);
        Assert.Contains(".recover", error.Message);
    }
}
