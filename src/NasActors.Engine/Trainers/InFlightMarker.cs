using System.Text;

namespace NasActors.Engine.Trainers;

/// <summary>
/// The file a trainer keeps while a trial runs (<see cref="TrainerSettings.InFlightMarker"/>): it says which trial runs while
/// one does, and is blank (or absent) otherwise. A process that dies mid-trial leaves it saying so, and the node's roster,
/// starting again, counts that trial as an infrastructure fault of the slot. Best effort: a marker that cannot be written
/// or cleared never fails the trial (the count then misses or repeats one death).
/// <para>
/// Cheap per trial on purpose: one trainer keeps its marker open for its life and rewrites it in place (a write at the start
/// of a trial, blanks over it at its end: one write in place each) instead of creating, closing and deleting a file per trial:
/// per-trial file creation and deletion (directory updates) were the largest CPU cost of short trials. The text is not flushed to the disk: it
/// must survive the process, not the machine. Used off the actor thread, by one trial at a time.
/// </para>
/// </summary>
public sealed class InFlightMarker(string? path) : IDisposable
{
    private readonly object _gate = new();
    private FileStream? _file;
    /// <summary>The marker's length: what the next write must cover.</summary>
    private int _length;

    /// <summary>Says that <paramref name="what"/> runs now.</summary>
    public void Write(string what)
    {
        if (path is null) return;
        lock (_gate)
        {
            try { Overwrite(Open(), Encoding.UTF8.GetBytes(what)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException) { }
        }
    }

    /// <summary>The trial in hand ended (however it ended): nothing runs now.</summary>
    public void Clear()
    {
        if (path is null) return;
        lock (_gate)
        {
            try
            {
                if (_file is not null) Overwrite(_file, []);
                else if (File.Exists(path)) File.WriteAllBytes(path, []); // a trial that ended after its trainer stopped
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException) { }
        }
    }

    /// <summary>
    /// One write in place: the text, padded with blanks over whatever a longer text before it left (blanks read as nothing,
    /// see <see cref="LeftBehind"/>). The file never shrinks, so no write allocates or frees its blocks.
    /// </summary>
    private void Overwrite(FileStream file, byte[] text)
    {
        var record = new byte[Math.Max(text.Length, _length)];
        text.CopyTo(record, 0);
        record.AsSpan(text.Length).Fill((byte)' ');
        RandomAccess.Write(file.SafeFileHandle, record, 0);
        _length = record.Length;
    }

    /// <summary>Removes the marker file (the roster, once it has counted what a marker left behind).</summary>
    public void Delete()
    {
        if (path is null) return;
        lock (_gate)
        {
            _file?.Dispose();
            _file = null;
            _length = 0;
            try { File.Delete(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    /// <summary>What the marker left behind says (null: no marker, or a blank one: the slot's last trial ended normally).</summary>
    public string? LeftBehind()
    {
        if (path is null || !File.Exists(path)) return null;
        try { return File.ReadAllText(path).Trim() is { Length: > 0 } text ? text : null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return "a trial"; }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file?.Dispose();
            _file = null;
        }
    }

    /// <summary>The marker, opened (and its folder created) on first use.</summary>
    private FileStream Open()
    {
        if (_file is not null) return _file;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path!))!);
        _file = new FileStream(path!, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        _length = (int)Math.Min(_file.Length, int.MaxValue);
        return _file;
    }
}
