using NasActors.Core.Specs;

namespace NasActors.Core.Data;

/// <summary>Reads the dataset a spec names, in its format, with its image shape when it has one.</summary>
public static class DatasetLoader
{
    public const string Csv = "csv";
    public const string Idx = "idx";

    public static (TabularDataset Data, ImageShape? Image) Load(DatasetSpec spec)
    {
        if (spec.Format == Idx)
        {
            var (data, shape) = IdxReader.Load(spec.Path, spec.LabelsPath ?? IdxReader.LabelsPathFor(spec.Path), spec.MaxExamples);
            return (data, spec.Image ?? shape);
        }
        var table = TabularDataset.LoadCsv(spec.Path, spec.LabelColumn, spec.Missing ?? MissingCells.Error);
        if (spec.MaxExamples is { } limit && limit < table.Count) table = table.Take(limit);
        if (spec.Image is { } image && image.Features != table.FeatureCount)
            throw new DatasetException($"{spec.Path}: dataset.image {image} needs {image.Features} features per row, the file has {table.FeatureCount}");
        return (table, spec.Image);
    }
}
