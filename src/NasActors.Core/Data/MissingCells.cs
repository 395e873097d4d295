namespace NasActors.Core.Data;

/// <summary><c>dataset.missing</c>: what an empty or NaN feature cell means.</summary>
public static class MissingCells
{
    /// <summary>The default: a missing cell is a mistake in the file, reported with its row and column.</summary>
    public const string Error = "error";

    /// <summary>Fill missing feature cells with their column's mean over the rows that have a value.</summary>
    public const string ImputeMean = "impute_mean";
}
