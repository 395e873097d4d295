using NasActors.Core.Specs;

namespace NasActors.Core.Tests.Specs;

/// <summary><c>execution.max_attempts</c> and <c>execution.trial_timeout</c>: defaults, values and range errors.</summary>
public sealed class ExecutionFaultSpecTests : IDisposable
{
    private readonly SpecFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private SearchSpec Read(string yaml) => SpecReader.ReadFile(_folder.Write(yaml));

    [Fact]
    public void By_default_three_attempts_and_no_trial_timeout()
    {
        var execution = Read(SpecFolder.Minimal()).Execution;
        Assert.Equal(3, execution.MaxAttempts);
        Assert.Equal(0, execution.TrialTimeoutSeconds);
    }

    [Fact]
    public void Both_keys_are_read()
    {
        var execution = Read(SpecFolder.Minimal(extra: "execution: {max_attempts: 5, trial_timeout: 600}")).Execution;
        Assert.Equal(5, execution.MaxAttempts);
        Assert.Equal(600, execution.TrialTimeoutSeconds);
    }

    [Theory]
    [InlineData("max_attempts: 0", "'execution.max_attempts': 0 is out of range; expected [1, 100]")]
    [InlineData("max_attempts: 101", "'execution.max_attempts': 101 is out of range; expected [1, 100]")]
    [InlineData("trial_timeout: -1", "'execution.trial_timeout'")]
    public void Out_of_range_values_name_the_key_and_the_range(string entry, string expected)
    {
        var e = Assert.Throws<SpecException>(() => Read(SpecFolder.Minimal(extra: $"execution: {{{entry}}}")));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_stored_spec_from_before_these_keys_reads_the_defaults()
    {
        var json = SearchSpecJson.Serialize(Read(SpecFolder.Minimal()));
        var stripped = json.Replace("\"MaxAttempts\":3,", "").Replace(",\"MaxAttempts\":3", "");
        Assert.DoesNotContain("MaxAttempts", stripped);
        Assert.Equal(3, SearchSpecJson.Deserialize(stripped).Execution.MaxAttempts);
    }
}
