using System.IO.Compression;
using NasActors.Core.Data;

namespace NasActors.Core.Tests.Data;

/// <summary>The CSV reader: quoted fields, header detection, and one clear error per kind of bad cell.</summary>
public sealed class TabularDatasetTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nas-csv-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string text, string name = "data.csv")
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_header_row_is_detected_when_a_cell_is_not_a_number()
    {
        var data = TabularDataset.LoadCsv(Write("x,y,label\n1,2,0\n3,4,1\n"));
        Assert.Equal(2, data.Count);
        Assert.Equal(2, data.FeatureCount);
        Assert.Equal([0, 1], data.Labels);
    }

    [Fact]
    public void Without_a_header_the_first_row_is_data()
    {
        var data = TabularDataset.LoadCsv(Write("1,2,0\n3,4,1\n"));
        Assert.Equal(2, data.Count);
        Assert.Equal(1f / 3f, data.Features[0][0], 5);
    }

    [Fact]
    public void Quoted_fields_are_unquoted_and_may_hold_commas()
    {
        var data = TabularDataset.LoadCsv(Write("\"width, px\",\"y\",label\n\"2\",\"4\",\"1\"\n1,2,0\n"));
        Assert.Equal(2, data.Count);
        Assert.Equal([1f, 1f], data.Features[0]);
        Assert.Equal([1, 0], data.Labels);
    }

    [Fact]
    public void Gzipped_files_are_read()
    {
        var path = Path.Combine(_folder, "data.csv.gz");
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        using (var writer = new StreamWriter(gz)) writer.Write("1,2,0\n3,4,1\n");
        Assert.Equal(2, TabularDataset.LoadCsv(path).Count);
    }

    [Theory]
    [InlineData("a,b,label\n1,2,0\n1,x,1\n", "line 3, column 2 ('b'): 'x' is not a number")]
    [InlineData("a,b,label\n1,2,0\n1,,1\n", "line 3, column 2 ('b'): empty cell")]
    [InlineData("a,b,label\n1,2,0\n1,NaN,1\n", "line 3, column 2 ('b'): 'NaN'")]
    [InlineData("a,b,label\n1,2,0\n1,Infinity,1\n", "line 3, column 2 ('b'): 'Infinity' is not a finite number")]
    [InlineData("1,2,0\n1,2\n", "line 2 has 2 columns, expected 3 like the first row")]
    [InlineData("a,b,label\n1,2,0,5\n", "line 2 has 4 columns, expected 3 like the header")]
    [InlineData("a,b,label\n1,2,0\n1,2,one\n", "line 3, column 3 ('label'): label 'one' is not a whole number")]
    [InlineData("a,b,label\n1,2,-1\n", "line 2, column 3 ('label'): label '-1' is not a whole number 0 or greater")]
    [InlineData("a,b,label\n", "has no data rows")]
    [InlineData("1,2,0\n\"1,5\",2,1\n", "line 2, column 1: '1,5' is not a number")]
    public void A_bad_cell_names_the_file_the_line_and_the_column(string csv, string expected)
    {
        var path = Write(csv);
        var error = Assert.Throws<DatasetException>(() => TabularDataset.LoadCsv(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Missing_cells_are_refused_by_default_and_filled_with_the_column_mean_when_asked()
    {
        var path = Write("a,b,label\n2,,0\n4,8,1\n,4,0\n");
        Assert.Throws<DatasetException>(() => TabularDataset.LoadCsv(path));
        var data = TabularDataset.LoadCsv(path, missing: MissingCells.ImputeMean);
        // Column a: 2, 4, mean(2, 4) = 3, scaled by 4. Column b: mean(8, 4) = 6, 8, 4, scaled by 8.
        Assert.Equal([0.5f, 1f, 0.75f], data.Features.Select(r => r[0]));
        Assert.Equal([0.75f, 1f, 0.5f], data.Features.Select(r => r[1]));
    }

    [Fact]
    public void Imputing_never_fills_a_label_or_a_non_number()
    {
        Assert.Throws<DatasetException>(() => TabularDataset.LoadCsv(Write("a,label\n1,\n"), missing: MissingCells.ImputeMean));
        Assert.Throws<DatasetException>(() => TabularDataset.LoadCsv(Write("a,label\n1,0\nx,1\n"), missing: MissingCells.ImputeMean));
    }

    [Fact]
    public void A_blank_line_is_skipped_and_the_label_column_can_be_first()
    {
        var data = TabularDataset.LoadCsv(Write("label,a\n1,5\n\n0,10\n"), "first");
        Assert.Equal([1, 0], data.Labels);
        Assert.Equal([0.5f, 1f], data.Features.Select(r => r[0]));
    }
}
