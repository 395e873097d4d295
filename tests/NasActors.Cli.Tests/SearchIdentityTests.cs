using System.IO.Compression;

namespace NasActors.Cli.Tests;

/// <summary>A search's id names what it searches: not where the files are nor how many trainers run it.</summary>
public class SearchIdentityTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Moving_the_project_and_changing_trainers_keeps_the_id_so_the_finished_search_is_found()
    {
        using var temp = new TempFolder();
        var store = Path.Combine(temp.Path, "store");
        var before = Project(temp.Path, "before", trainers: 2);
        var first = await NasProcess.RunToEndAsync(temp.Path, Generous, "run", before, "--store", store);
        Assert.True(first.ExitCode == 0, first.Output);
        var searchId = first.Output.Split("started search ")[1].Split(':')[0].Trim();

        Directory.Move(Path.Combine(temp.Path, "before"), Path.Combine(temp.Path, "after"));
        var after = Project(temp.Path, "after", trainers: 1, threads: 1);
        var second = await NasProcess.RunToEndAsync(temp.Path, Generous, "run", after, "--store", store);

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains($"search {searchId} already ran", second.Output);
    }

    [Fact]
    public async Task A_changed_dataset_under_a_stopped_search_is_refused_naming_the_file_and_both_fingerprints()
    {
        using var temp = new TempFolder();
        var spec = Project(temp.Path, "project", trainers: 1, epochs: 300, trials: 6);
        string searchId;
        using (var run = NasProcess.Start(temp.Path, "run", spec))
        {
            await run.WaitForLineAsync(l => l.StartsWith("started search"), Generous);
            searchId = run.Output.Split("started search ")[1].Split(':')[0].Trim();
            run.KillHard();
            await run.WaitForExitAsync(Generous);
        }
        var data = Path.Combine(temp.Path, "project", "digits.csv");
        var lines = File.ReadAllLines(data);
        File.AppendAllLines(data, [lines[^1]]);
        var store = Path.Combine(temp.Path, ".nas");
        var journal = BadInputTests.StoreHash(store);

        var resume = await NasProcess.RunToEndAsync(temp.Path, Generous, "resume", searchId);

        Assert.True(resume.ExitCode == 2, resume.Output);
        var error = Assert.Single(resume.ErrorLines);
        Assert.Contains($"dataset '{data}' changed since search '{searchId}' started", error);
        Assert.Matches("fingerprint sha256:[0-9a-f]{16} then, sha256:[0-9a-f]{16} now", error);
        Assert.Contains("--new", error);
        Assert.Equal(journal, BadInputTests.StoreHash(store));
    }

    /// <summary>A project folder with the digits data (plain CSV) and a spec naming it by a relative path.</summary>
    private static string Project(string root, string name, int trainers, int threads = 2, int epochs = 2, int trials = 2)
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
        var data = Path.Combine(folder, "digits.csv");
        if (!File.Exists(data))
        {
            using var gz = new GZipStream(File.OpenRead(RepoPaths.Digits), CompressionMode.Decompress);
            using var output = File.Create(data);
            gz.CopyTo(output);
        }
        var spec = TinySpecs.Digits(trials, epochs, "random")
            .Replace(RepoPaths.Digits, "digits.csv")
            .Replace("trainers: 2", $"trainers: {trainers}\n  threads_per_trainer: {threads}");
        var path = Path.Combine(folder, "spec.yaml");
        File.WriteAllText(path, spec);
        return path;
    }
}
