namespace NasActors.Engine.Trainers;

/// <summary>
/// The file a trainer keeps while a trial runs (<see cref="TrainerSettings.InFlightMarker"/>): written before the evaluation
/// starts, deleted when it ends however it ends. A process that dies mid-trial leaves it behind, and the node's roster,
/// starting again, counts that trial as an infrastructure fault of the slot. Best effort: a marker that cannot be written
/// or deleted never fails the trial (the count then misses or repeats one death). Used off the actor thread.
/// </summary>
public readonly record struct InFlightMarker(string? Path)
{
    public void Write(string what)
    {
        if (Path is null) return;
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
            File.WriteAllText(Path, what);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    public void Delete()
    {
        if (Path is null) return;
        try { File.Delete(Path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>What the marker left behind says (null: no marker, the slot's last trial ended normally).</summary>
    public string? LeftBehind()
    {
        if (Path is null || !File.Exists(Path)) return null;
        try { return File.ReadAllText(Path).Trim() is { Length: > 0 } text ? text : "a trial"; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return "a trial"; }
    }
}
