namespace NasActors.Chaos.Tests;

/// <summary>
/// What a chaos test injected and what it verified, in plain lines: to the test's own output and
/// appended to a summary file (<c>$TMPDIR/nas-chaos-summary.txt</c>) that .ci/run prints after the tests.
/// A "verified" line is written only after its assertions passed.
/// </summary>
public sealed class ChaosReport(ITestOutputHelper output, string test)
{
    private static readonly object Gate = new();

    public static string SummaryFile => Path.Combine(Path.GetTempPath(), "nas-chaos-summary.txt");

    public void Injected(string what) => Write("injected", what);

    public void Verified(string what) => Write("verified", what);

    public void Measured(string what) => Write("measured", what);

    private void Write(string kind, string what)
    {
        var line = $"chaos {test}: {kind}: {what}";
        output.WriteLine(line);
        lock (Gate) File.AppendAllText(SummaryFile, line + Environment.NewLine);
    }
}
