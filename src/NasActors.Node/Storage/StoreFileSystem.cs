using System.Runtime.InteropServices;

namespace NasActors.Node.Storage;

/// <summary>
/// SQLite's locking is unreliable on network filesystems (its own documentation says so), and a
/// journal corrupted there loses a whole search: such stores are refused unless
/// <see cref="OverrideVariable"/>=1. Detection is the filesystem's magic number from statfs(2).
/// </summary>
public static class StoreFileSystem
{
    public const string OverrideVariable = "NAS_ALLOW_NETWORK_FS";

    private static readonly Dictionary<long, string> NetworkMagic = new()
    {
        [0x6969] = "NFS",
        [0x0BD00BD0] = "Lustre",
        [0x47504653] = "GPFS",
        [0xFF534D42] = "CIFS",
        [0xFE534D42] = "SMB2",
        [0x517B] = "SMB",
        [0x00C36400] = "Ceph",
        [0x19830326] = "BeeGFS",
        [0x65735546] = "FUSE",
        [0x013111A8] = "IBRIX",
        [0x5346414F] = "AFS",
    };

    /// <summary>The network filesystem with this statfs f_type, or null for a local one.</summary>
    public static string? NetworkKind(long magic) => NetworkMagic.GetValueOrDefault(magic & 0xFFFFFFFF);

    /// <summary>Throws <see cref="StoreException"/> when <paramref name="directory"/> is on a network filesystem.</summary>
    public static void RefuseNetwork(string directory)
    {
        if (Environment.GetEnvironmentVariable(OverrideVariable) == "1" || !OperatingSystem.IsLinux()) return;
        var existing = new DirectoryInfo(Path.GetFullPath(directory));
        while (existing is { Exists: false }) existing = existing.Parent;
        if (existing is null || Magic(existing.FullName) is not { } magic || NetworkKind(magic) is not { } kind) return;
        throw new StoreException(
            $"store '{directory}' is on {kind} (a network filesystem), where SQLite's locks are unreliable and the journal can be corrupted. " +
            $"Put the store on a local disk (--store /tmp/...), or use a PostgreSQL store; {OverrideVariable}=1 overrides this check at your own risk");
    }

    private static long? Magic(string path)
    {
        // struct statfs begins with f_type (a long) on 64-bit Linux; the buffer is larger than the struct.
        var buffer = new byte[256];
        return statfs(path, buffer) == 0 ? BitConverter.ToInt64(buffer, 0) : null;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int statfs(string path, byte[] buffer);
}
