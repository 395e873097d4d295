using NasActors.Core.Specs;

namespace NasActors.Core.Tests.Specs;

/// <summary><c>execution.lease_ahead</c>: auto by default, a number from 0 to 32, anything else one clear error.</summary>
public sealed class LeaseAheadSpecTests : IDisposable
{
    private readonly SpecFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private SearchSpec Read(string yaml) => SpecReader.ReadFile(_folder.Write(yaml));

    [Theory]
    [InlineData(null, null)]
    [InlineData("auto", null)]
    [InlineData("0", 0)]
    [InlineData("32", 32)]
    public void Auto_is_the_default_and_a_number_is_read(string? value, int? expected)
    {
        var yaml = value is null ? SpecFolder.Minimal() : SpecFolder.Minimal(extra: $"execution: {{lease_ahead: {value}}}");
        Assert.Equal(expected, Read(yaml).Execution.LeaseAhead);
    }

    [Theory]
    [InlineData("33")]
    [InlineData("-1")]
    [InlineData("2.5")]
    [InlineData("many")]
    public void Anything_else_names_the_key_and_what_it_takes(string value)
    {
        var e = Assert.Throws<SpecException>(() => Read(SpecFolder.Minimal(extra: $"execution: {{lease_ahead: {value}}}")));
        Assert.Contains($"'execution.lease_ahead': expected auto or a whole number of queued trials from 0 to 32, got '{value}'", e.Message);
    }

    [Fact]
    public void A_stored_spec_without_the_key_reads_auto()
    {
        var json = SearchSpecJson.Serialize(Read(SpecFolder.Minimal()));
        Assert.DoesNotContain("LeaseAhead", json);
        Assert.Null(SearchSpecJson.Deserialize(json).Execution.LeaseAhead);
    }
}
