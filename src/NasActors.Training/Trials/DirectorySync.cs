using System.Runtime.InteropServices;

namespace NasActors.Training.Trials;

/// <summary>
/// Makes a rename durable: after <c>rename(2)</c> the new directory entry survives a power loss only
/// once the directory itself is fsynced. .NET has no API for that: <c>File.OpenHandle</c> refuses a
/// directory on Unix (UnauthorizedAccessException, checked on .NET 10), so this opens it with libc's
/// <c>open(2)</c> and calls <c>fsync(2)</c>.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0; // O_RDONLY: the same value on every Unix

    public static void Flush(string directory)
    {
        // Windows cannot open a directory for flushing without backup privileges, and NTFS journals
        // the rename's metadata itself; there is nothing to do there.
        if (OperatingSystem.IsWindows()) return;
        var descriptor = open(directory, ReadOnly);
        if (descriptor < 0)
            throw new IOException($"cannot open directory '{directory}' to flush it: {Marshal.GetLastPInvokeErrorMessage()}");
        try
        {
            if (fsync(descriptor) != 0)
                throw new IOException($"cannot flush directory '{directory}': {Marshal.GetLastPInvokeErrorMessage()}");
        }
        finally
        {
            close(descriptor);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int descriptor);

    [DllImport("libc")]
    private static extern int close(int descriptor);
}
