namespace NasActors.Training.Trials;

/// <summary>
/// Writes a file through a temporary one and a rename, so a killed process never leaves a partial
/// file; the data is fsynced before the rename and the directory after it, so the file also
/// survives a power loss once <see cref="Write"/> returns.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<FileStream> write)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temporary); } catch (IOException) { }
            throw;
        }
        DirectorySync.Flush(directory);
    }

    /// <summary>Removes a file and makes the removal durable (a checkpoint's commit mark is withdrawn this way).</summary>
    public static void Delete(string path)
    {
        if (!File.Exists(path)) return;
        File.Delete(path);
        DirectorySync.Flush(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }
}
