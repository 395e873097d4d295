namespace NasActors.Cli.Tests;

/// <summary>The product's promise: kill the process at any moment, run it again, lose nothing and count nothing twice.</summary>
public class CrashResumeTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_search_killed_with_SIGKILL_resumes_without_losing_or_double_counting_trials()
    {
        using var temp = new TempFolder();
        const int budget = 12;
        var spec = temp.Write("tiny.yaml", TinySpecs.Digits(trials: budget, epochs: 100));
        var db = Path.Combine(temp.Path, ".nas", "nas.db");

        using (var first = NasProcess.Start(temp.Path, "run", spec))
        {
            await first.WaitForLineAsync(l => l.StartsWith("progress ") && int.Parse(l.Split(' ')[1].Split('/')[0]) >= 3, Generous);
            first.KillHard();
            await first.WaitForExitAsync(Generous);
        }
        var beforeKill = JournalReader.Read(db);
        var completedBefore = beforeKill.Where(e => e.Manifest.StartsWith("trial-completed")).ToDictionary(e => e.TrialId, e => e.Payload.GetRawText());
        var openBefore = beforeKill.Where(e => e.Manifest.StartsWith("trial-proposed")).Select(e => e.TrialId).Except(completedBefore.Keys).ToArray();
        Assert.InRange(completedBefore.Count, 3, budget - 1);
        var lastOrdering = beforeKill.Max(e => e.Ordering);

        var (code, output) = await NasProcess.RunAsync(temp.Path, Generous, "run", spec);
        Assert.True(code == 0, output);
        Assert.Contains("resuming search", output);

        var journal = JournalReader.Read(db);
        var completed = journal.Where(e => e.Manifest.StartsWith("trial-completed")).ToArray();
        // Exactly the budget, each trial id once.
        Assert.Equal(budget, completed.Length);
        Assert.Equal(budget, completed.Select(e => e.TrialId).Distinct().Count());
        // Completed trials survived untouched and were never leased (trained) again.
        foreach (var (id, payload) in completedBefore)
            Assert.Equal(payload, completed.Single(e => e.TrialId == id).Payload.GetRawText());
        var leasedAfter = journal.Where(e => e.Ordering > lastOrdering && e.Manifest.StartsWith("trial-leased")).Select(e => e.TrialId).ToHashSet();
        Assert.Empty(leasedAfter.Intersect(completedBefore.Keys));
        // Trials in flight at the kill were re-issued and completed, not lost.
        Assert.All(openBefore, id => Assert.Contains(id, completed.Select(e => e.TrialId)));
        // The reported best is the best of the ledger.
        var best = completed.MaxBy(e => e.Payload.GetProperty("Objective").GetDouble())!;
        var bestJson = File.ReadAllText(Directory.GetFiles(Path.Combine(temp.Path, ".nas", "searches"), "best.json", SearchOption.AllDirectories).Single());
        Assert.Contains($"\"trial\": {best.TrialId},", bestJson);

        // A third run finds the finished search and reports it instead of searching again.
        var (again, againOutput) = await NasProcess.RunAsync(temp.Path, Generous, "run", spec);
        Assert.Equal(0, again);
        Assert.Contains("already ran", againOutput);
        Assert.Equal(journal.Count, JournalReader.Read(db).Count);
    }

    [Fact]
    // SIGTERM (what batch schedulers send at the wall-time limit) takes the same path as Ctrl-C's
    // SIGINT. The test sends SIGTERM because a process started from a background job inherits an
    // ignored SIGINT (POSIX), and CI may run the suite that way.
    public async Task SIGTERM_or_Ctrl_C_stops_gracefully_and_resume_by_id_finishes_the_search()
    {
        using var temp = new TempFolder();
        var spec = temp.Write("tiny.yaml", TinySpecs.Digits(trials: 6, epochs: 300, strategy: "random"));
        string output;
        using (var run = NasProcess.Start(temp.Path, "run", spec))
        {
            await run.WaitForLineAsync(l => l.StartsWith("progress "), Generous);
            run.Signal("TERM");
            Assert.Equal(130, await run.WaitForExitAsync(Generous));
            output = run.Output;
        }
        Assert.Contains("resume with", output);
        Assert.DoesNotContain("   at ", output);
        var searchId = output.Split("nas resume ")[1].Split(')')[0].Trim();

        var (code, resumed) = await NasProcess.RunAsync(temp.Path, Generous, "resume", searchId);
        Assert.True(code == 0, resumed);
        var completed = JournalReader.Read(Path.Combine(temp.Path, ".nas", "nas.db")).Count(e => e.Manifest.StartsWith("trial-completed"));
        Assert.Equal(6, completed);
    }
}
