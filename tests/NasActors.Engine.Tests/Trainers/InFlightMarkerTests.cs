using NasActors.Engine.Trainers;

namespace NasActors.Engine.Tests.Trainers;

/// <summary>
/// The in-flight marker is rewritten in place per trial (not created and deleted): what a dead process leaves behind must
/// still name its trial exactly, and a trial that ended must leave nothing that reads as a death.
/// </summary>
public class InFlightMarkerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"nas-marker-test-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void A_marker_names_the_running_trial_and_reads_as_nothing_once_cleared()
    {
        var path = Path.Combine(_folder, "slots", "node-t0.trial"); // its folder does not exist yet
        using var marker = new InFlightMarker(path);
        Assert.Null(new InFlightMarker(path).LeftBehind());

        marker.Write("trial 12 (lease 3) of search long-search-name");
        Assert.Equal("trial 12 (lease 3) of search long-search-name", new InFlightMarker(path).LeftBehind());

        marker.Clear();
        Assert.True(File.Exists(path)); // kept for the next trial, blank
        Assert.Null(new InFlightMarker(path).LeftBehind());

        marker.Write("trial 13 (lease 1) of search s");
        marker.Write("trial 14 (lease 1) of s"); // shorter than what it replaces: nothing of the old text is left
        Assert.Equal("trial 14 (lease 1) of s", new InFlightMarker(path).LeftBehind());
    }

    [Fact]
    public void A_deleted_marker_is_recreated_by_the_next_trial_and_one_that_ends_after_its_trainer_stopped_is_still_cleared()
    {
        var path = Path.Combine(_folder, "node-t1.trial");
        var marker = new InFlightMarker(path);
        marker.Write("trial 1 (lease 1) of search s");
        marker.Delete(); // as the roster does, after counting a death
        Assert.False(File.Exists(path));

        marker.Write("trial 2 (lease 1) of search s");
        Assert.Equal("trial 2 (lease 1) of search s", new InFlightMarker(path).LeftBehind());

        marker.Dispose(); // the trainer stopped; its cancelled trial ends after that
        Assert.Equal("trial 2 (lease 1) of search s", new InFlightMarker(path).LeftBehind());
        marker.Clear();
        Assert.Null(new InFlightMarker(path).LeftBehind());
    }
}
