using System.IO.Compression;
using System.Text.Json;

namespace NasActors.Cli.Tests;

/// <summary><c>nas export</c>: a finished search's best model as architecture.json, TorchSharp and PyTorch weights.</summary>
public class ExportCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Exporting_an_unknown_search_is_a_clear_error_with_exit_code_2()
    {
        using var temp = new TempFolder();
        var (code, output) = await NasProcess.RunAsync(temp.Path, Timeout, "export", "nope-1234", "--out", "model");
        Assert.Equal(2, code);
        Assert.Contains("no search 'nope-1234'", output);
        Assert.DoesNotContain("   at ", output);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "model")));
    }

    [Fact]
    public async Task Best_model_of_a_finished_search_is_exported_in_both_formats()
    {
        using var temp = new TempFolder();
        var spec = temp.Write("tiny.yaml", TinySpecs.Digits(trials: 2, epochs: 2, strategy: "random"));
        var (runCode, runOutput) = await NasProcess.RunAsync(temp.Path, Timeout, "run", spec);
        Assert.True(runCode == 0, runOutput);
        var searchId = Directory.GetDirectories(Path.Combine(temp.Path, ".nas", "searches")).Select(Path.GetFileName).Single()!;

        var (code, output) = await NasProcess.RunAsync(temp.Path, Timeout, "export", searchId, "--model", "best", "--out", "exported");

        Assert.True(code == 0, output);
        var folder = Path.Combine(temp.Path, "exported");
        using var architecture = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "architecture.json")));
        var best = JsonDocument.Parse(File.ReadAllText(Path.Combine(temp.Path, ".nas", "searches", searchId, "best.json")));
        Assert.Equal(best.RootElement.GetProperty("architecture").GetString(), architecture.RootElement.GetProperty("canonical").GetString());
        Assert.Equal(best.RootElement.GetProperty("trial").GetInt32(), architecture.RootElement.GetProperty("trial").GetInt32());
        Assert.True(new FileInfo(Path.Combine(folder, "model.pt")).Length > 1000);
        // torch.save's format: a zip whose entries sit under one folder, with the pickled dict in data.pkl.
        using var zip = ZipFile.OpenRead(Path.Combine(folder, "state_dict.pth"));
        Assert.Contains(zip.Entries, e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal));
        Assert.Contains(zip.Entries, e => e.FullName.Contains("/data/", StringComparison.Ordinal));
    }
}
