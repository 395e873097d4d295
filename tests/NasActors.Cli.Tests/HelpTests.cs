namespace NasActors.Cli.Tests;

/// <summary>Every way of asking for help prints usage on stdout and exits 0.</summary>
public class HelpTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    [InlineData("help run")]
    [InlineData("run --help")]
    [InlineData("resume --help")]
    [InlineData("status -h")]
    [InlineData("export --help")]
    [InlineData("dashboard --help")]
    [InlineData("bench")]
    [InlineData("bench --help")]
    [InlineData("bench nb201 --help")]
    [InlineData("bench ledger --help")]
    [InlineData("bench projection --help")]
    [InlineData("help bench zero-cost")]
    [InlineData("admin --help")]
    [InlineData("help admin cluster show")]
    [InlineData("admin trainer quarantine --help")]
    public async Task Help_prints_usage_and_exits_0(string words)
    {
        using var temp = new TempFolder();
        var result = await NasProcess.RunToEndAsync(temp.Path, TimeSpan.FromMinutes(1), words.Split(' '));
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("USAGE:", result.Output);
        Assert.Contains("nas " + string.Join(' ', words.Split(' ').Where(w => w is not ("help" or "--help" or "-h"))), result.Output);
        Assert.Empty(result.ErrorLines);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, ".nas")));
    }
}
