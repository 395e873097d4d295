using NasActors.Core.Benchmarks;

namespace NasActors.Core.Tests.Benchmarks;

public sealed class TabularBenchmarkTests : IDisposable
{
    private const string ArchA = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|";
    private const string ArchB = "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|";
    private readonly string _folder = Directory.CreateTempSubdirectory("tabular-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_folder, $"t{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void The_shipped_table_defaults_to_the_nb201_protocol_and_reports_every_test_accuracy_column_but_the_alternates()
    {
        var table = TabularBenchmark.Load(RepoFiles.Data("nb201/nb201_accuracy.csv"));

        Assert.Equal(15_625, table.Count);
        Assert.Equal(["c10", "c100"], table.ReportColumns.Select(c => c.Name));
        Assert.Equal(["c10_test_acc_200ep", "c100_test_acc_200ep"], table.ReportColumns.Select(c => c.Column));
        Assert.Equal(new TabularOutcome(63.364, 86.653), table.Evaluate(ArchB));
        Assert.Equal([85.8633, 52.9133], table.ReportOf(ArchB));
        Assert.Equal(0, table.IndexOf(ArchB));
        Assert.Equal(94.37, table.ReportOptimum()[0], 2);
    }

    [Fact]
    public void Extra_test_accuracy_columns_are_reported_by_their_prefix_in_file_order()
    {
        var path = Write($"""
            index,arch,signal_col,c10_test_acc_200ep,cost_col,imagenet16_test_acc_200ep,c10_test_acc_200ep_alt,c100_test_acc_200ep
            7,{ArchA},80.5,94.1,150,46.5,93.0,73.0
            9,{ArchB},60.0,85.0,90,20.25,84.0,52.0
            """);

        var table = TabularBenchmark.Load(path, new TabularColumns("signal_col", "cost_col"));

        Assert.Equal(["c10", "imagenet16", "c100"], table.ReportColumns.Select(c => c.Name));
        Assert.Equal([85.0, 20.25, 52.0], table.ReportOf(ArchB));
        Assert.Equal(new TabularOutcome(80.5, 150), table.Evaluate(ArchA));
        Assert.Equal(7, table.IndexOf(ArchA));
    }

    [Fact]
    public void Named_report_columns_replace_the_default_and_unknown_columns_are_named_in_the_error()
    {
        var path = Write($"""
            arch,s,c,c10_test_acc_200ep,flops
            {ArchA},1,2,3,4
            """);

        var table = TabularBenchmark.Load(path, new TabularColumns("s", "c", ["flops"]));
        Assert.Equal(["flops"], table.ReportColumns.Select(c => c.Name));
        Assert.Equal([4.0], table.ReportOf(ArchA));
        Assert.Equal(0, table.IndexOf(ArchA)); // no index column: the row number

        var missing = Assert.Throws<FormatException>(() => TabularBenchmark.Load(path, new TabularColumns("s", "seconds")));
        Assert.Contains("cost column 'seconds'", missing.Message);
        var report = Assert.Throws<FormatException>(() => TabularBenchmark.Load(path, new TabularColumns("s", "c", ["c100_test_acc_200ep"])));
        Assert.Contains("'c100_test_acc_200ep'", report.Message);
    }

    [Fact]
    public void The_evaluator_passes_on_the_signal_and_the_cost_and_nothing_else()
    {
        var path = Write($"""
            arch,s,c,c10_test_acc_200ep
            {ArchA},84.5,120.25,94.3
            """);
        var space = new Nb201Space();
        var evaluator = new TabularEvaluator(TabularBenchmark.Load(path, new TabularColumns("s", "c")), space, epochs: 12, signalScale: 0.01);
        var genotype = space.Parse(ArchA);

        var metrics = evaluator.Evaluate(new TrialRequest(1, genotype, new Fidelity(12), 5));

        Assert.Equal(new TrialMetrics(0.845, 0, space.ParameterCount(genotype), 120.25), metrics);
        Assert.Null(metrics.Extra);
        Assert.Throws<NotSupportedException>(() => evaluator.Evaluate(new TrialRequest(2, genotype, new Fidelity(4), 5)));
    }
}
