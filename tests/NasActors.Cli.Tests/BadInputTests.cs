using System.Security.Cryptography;

namespace NasActors.Cli.Tests;

/// <summary>User mistakes: one clear message naming the file/field, exit code 2, no stack trace, store untouched.</summary>
public class BadInputTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static TheoryData<string, string, string> Mistakes => new()
    {
        { "malformed", "name: x\nspace: [unclosed\n", "malformed YAML" },
        { "unknown-strategy", TinySpecs.Digits().Replace("name: evolution", "name: simulated_annealing"), "'strategy.name'" },
        { "out-of-range", TinySpecs.Digits().Replace("trials: 12", "trials: 0"), "'budget.trials': 0 is out of range" },
        { "missing-dataset", TinySpecs.Digits().Replace(RepoPaths.Digits, "nowhere/digits.csv"), "'dataset.path'" },
        { "unknown-key", TinySpecs.Digits().Replace("budget:", "budgett: {}\nbudget:"), "'budgett': unknown key" }
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_bad_spec_gives_one_clear_error_and_exit_code_2(string name, string yaml, string expected)
    {
        using var temp = new TempFolder();
        var spec = temp.Write($"{name}.yaml", yaml);
        var (code, output) = await NasProcess.RunAsync(temp.Path, Timeout, "run", spec);
        Assert.Equal(2, code);
        Assert.Contains(expected, output);
        Assert.Contains($"{name}.yaml", output.ReplaceLineEndings(""));
        Assert.DoesNotContain("   at ", output);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, ".nas")), "a bad spec must not create or touch the store");
    }

    [Fact]
    public async Task A_missing_spec_file_is_named()
    {
        using var temp = new TempFolder();
        var (code, output) = await NasProcess.RunAsync(temp.Path, Timeout, "run", "no-such-spec.yaml");
        Assert.Equal(2, code);
        Assert.Contains("no-such-spec.yaml", output);
        Assert.Contains("does not exist", output);
    }

    [Fact]
    public async Task A_bad_spec_leaves_an_existing_journal_byte_for_byte_unchanged()
    {
        using var temp = new TempFolder();
        var store = Path.Combine(temp.Path, ".nas");
        Directory.CreateDirectory(store);
        var db = Path.Combine(store, "nas.db");
        File.WriteAllBytes(db, RandomNumberGenerator.GetBytes(4096));
        var before = SHA256.HashData(File.ReadAllBytes(db));
        var spec = temp.Write("bad.yaml", TinySpecs.Digits().Replace("trials: 12", "trials: lots"));
        var (code, output) = await NasProcess.RunAsync(temp.Path, Timeout, "run", spec);
        Assert.Equal(2, code);
        Assert.Contains("expected a number", output);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(db)));
    }

    [Fact]
    public async Task Resuming_an_unknown_search_is_a_clear_error()
    {
        using var temp = new TempFolder();
        var (code, output) = await NasProcess.RunAsync(temp.Path, Timeout, "resume", "nope-1234");
        Assert.Equal(2, code);
        Assert.Contains("no search 'nope-1234'", output);
        Assert.DoesNotContain("   at ", output);
    }
}
