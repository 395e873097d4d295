using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace NasActors.Node.Storage;

/// <summary>
/// The single-writer lock of a store: an exclusive <c>flock</c> on &lt;store&gt;/lock, held for the
/// life of the process (the kernel drops it when the process dies, however it dies). The file holds
/// who took it (PID, host, command, start time) so a second writer can name the holder.
/// Opened through libc, not FileStream: .NET takes its own shared flock on every FileStream, which
/// would stop a second process from even reading who holds the lock.
/// </summary>
public sealed class StoreLock : IDisposable
{
    public const string FileName = "lock";

    private const int LockExclusive = 2, LockNonBlocking = 4;
    private const int ReadWrite = 2, Create = 0x40, CloseOnExec = 0x80000;
    private readonly SafeFileHandle _handle;

    private StoreLock(SafeFileHandle handle) => _handle = handle;

    /// <summary>Takes the lock or throws <see cref="StoreBusyException"/> naming the holder; never waits.</summary>
    public static StoreLock Acquire(string storeDirectory, string command)
    {
        Directory.CreateDirectory(storeDirectory);
        var path = Path.Combine(storeDirectory, FileName);
        var handle = Open(path);
        if (flock(handle, LockExclusive | LockNonBlocking) != 0)
        {
            var holder = ReadHolder(handle);
            handle.Dispose();
            throw new StoreBusyException(path, holder);
        }
        var info = Encoding.UTF8.GetBytes(
            $"pid={Environment.ProcessId}\nhost={Environment.MachineName}\ncommand={command}\nsince={DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}\n");
        ftruncate(handle, 0);
        RandomAccess.Write(handle, info, 0);
        return new StoreLock(handle);
    }

    public void Dispose() => _handle.Dispose();

    private static SafeFileHandle Open(string path)
    {
        var fd = open(path, ReadWrite | Create | CloseOnExec, Convert.ToInt32("644", 8));
        if (fd < 0) throw new IOException($"cannot open the store lock '{path}': {Marshal.GetLastPInvokeErrorMessage()}");
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static string ReadHolder(SafeFileHandle handle)
    {
        var buffer = new byte[1024];
        var read = RandomAccess.Read(handle, buffer, 0);
        var fields = Encoding.UTF8.GetString(buffer, 0, read).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
        return $"PID {fields.GetValueOrDefault("pid", "?")} on {fields.GetValueOrDefault("host", "?")} since {fields.GetValueOrDefault("since", "?")}" +
               (fields.TryGetValue("command", out var command) ? $" ({command})" : "");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int open(string path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int flock(SafeFileHandle fd, int operation);

    [DllImport("libc", SetLastError = true)]
    private static extern int ftruncate(SafeFileHandle fd, long length);
}

/// <summary>Another process writes to this store: nothing was started, nothing touched.</summary>
public sealed class StoreBusyException(string lockFile, string holder) : Exception(
    $"store '{Path.GetDirectoryName(lockFile)}' is in use by {holder}; one process writes to a SQLite store at a time. " +
    "Wait for it, use another --store, or add capacity with 'nas node'/'nas worker' on a shared PostgreSQL store")
{
    public string Holder { get; } = holder;
}
