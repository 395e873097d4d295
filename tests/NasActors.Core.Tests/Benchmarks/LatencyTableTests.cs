using NasActors.Core.Benchmarks;

namespace NasActors.Core.Tests.Benchmarks;

public sealed class LatencyTableTests(Nb201Fixture table) : IClassFixture<Nb201Fixture>
{
    [Fact]
    public void Looks_up_latency_by_arch_string_and_device_column()
    {
        var latency = LatencyTable.Load(RepoFiles.Data("nb201/nb201_latency_ms.csv"));
        Assert.Equal(27, latency.Devices.Count);
        Assert.Contains("pixel3", latency.Devices);
        // Row index 1 of the latency file: 1080ti_1 = 12.9, pixel3 = 17.238.
        var arch = table.Accuracy.Rows.Single(r => r.Text("index") == "1").Text("arch");
        Assert.Equal(12.9, latency.Milliseconds(arch, "1080ti_1"));
        Assert.Equal(17.238, latency.Milliseconds(arch, "pixel3"));
        Assert.Throws<KeyNotFoundException>(() => latency.Milliseconds(arch, "no_such_device"));
        Assert.Throws<KeyNotFoundException>(() => latency.Milliseconds("|none~0|", "pixel3"));
    }

    [Fact]
    public void Table_rows_are_reachable_by_key_and_column_name()
    {
        const string arch = "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|";
        var row = table.Accuracy[arch];
        Assert.Equal("0", row.Text("index"));
        Assert.Equal(63.364, row.Number("c10valid_val_acc_12ep"), 6);
        Assert.True(table.Accuracy.HasColumn("c100_test_acc_200ep"));
        Assert.Throws<KeyNotFoundException>(() => row.Number("no_such_column"));
        Assert.False(table.Accuracy.TryGet("|nope|", out _));
    }

    [Fact]
    public void Malformed_tables_are_reported_with_file_and_line()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nas-table-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(path, "arch,acc\na,1\nb,2,3\n");
            var e = Assert.Throws<FormatException>(() => BenchmarkTable.Load(path));
            Assert.Contains($"{path}:3", e.Message);
            File.WriteAllText(path, "name,acc\na,1\n");
            Assert.Contains("no 'arch' column", Assert.Throws<FormatException>(() => BenchmarkTable.Load(path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
