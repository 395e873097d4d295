namespace NasActors.Engine.Supernets;

/// <summary>
/// Supernet block files under an artifact root: written atomically (temporary file, flush to disk, rename),
/// so a crash never leaves half a block. The same recipe as Training's <c>AtomicFile</c>, which the Engine cannot reference.
/// </summary>
public static class BlockFiles
{
    public static void Write(string root, string file, byte[] bytes)
    {
        var path = Path.Combine(root, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temporary); } catch (IOException) { }
            throw;
        }
    }

    public static byte[] Read(string root, string file)
    {
        var path = Path.Combine(root, file);
        return File.Exists(path)
            ? File.ReadAllBytes(path)
            : throw new FileNotFoundException($"supernet block file '{path}' is missing: the artifact root must be the one the shard wrote to", path);
    }

    /// <summary>Best effort: a superseded version left behind costs disk, never correctness.</summary>
    public static void TryDelete(string root, string file)
    {
        try { File.Delete(Path.Combine(root, file)); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
