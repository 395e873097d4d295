using System.Security.Cryptography;
using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using NasActors.Engine.Searches;

namespace NasActors.Cli;

/// <summary>
/// A search's id: its name plus a hash of what it searches — the spec without its <c>execution</c>
/// block (trainers, threads: how it runs, not what it finds) and with the dataset's content fingerprint
/// instead of its path. Moving the project folder or changing trainers keeps the id; changing the data
/// makes a different search.
/// </summary>
public static class SearchIdentity
{
    /// <summary>The spec with its dataset's fingerprint filled in (stored in the journal with the spec).</summary>
    public static SearchSpec WithFingerprint(SearchSpec spec) =>
        spec with { Dataset = spec.Dataset with { Fingerprint = Fingerprint(spec.Dataset) } };

    public static SearchId For(SearchSpec fingerprinted)
    {
        var semantic = fingerprinted with
        {
            Execution = null!,
            Dataset = fingerprinted.Dataset with { Path = "", LabelsPath = null },
            // A warm start is named by its source: its rows are read after the id is taken.
            WarmStart = fingerprinted.WarmStart is { } warm ? warm with { Known = [] } : null
        };
        return Id(fingerprinted.Name, SearchSpecJson.Serialize(semantic));
    }

    /// <summary>The id stores written before fingerprints gave the same spec (a hash of the whole spec, paths and execution included).</summary>
    public static SearchId Legacy(SearchSpec spec) =>
        Id(spec.Name, SearchSpecJson.Serialize(spec with { Dataset = spec.Dataset with { Fingerprint = null } }));

    /// <summary>SHA-256 of the dataset's file(s): the data file, then the labels file of an IDX dataset.</summary>
    public static string Fingerprint(DatasetSpec dataset)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in new[] { dataset.Path, dataset.LabelsPath }.OfType<string>())
        {
            using var stream = File.OpenRead(file);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = stream.Read(buffer)) > 0) sha.AppendData(buffer, 0, read);
        }
        return "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// Refuses a stored search whose dataset file no longer holds the data it was searched on: its
    /// trials would mix two datasets. Stores from before fingerprints have none to compare.
    /// </summary>
    public static void CheckData(SearchId id, SearchSpec stored)
    {
        if (stored.Dataset.Fingerprint is not { } expected) return;
        var file = stored.Dataset.Path;
        if (!File.Exists(file) || (stored.Dataset.LabelsPath is { } labels && !File.Exists(labels)))
            throw new UsageException($"search '{id}' was run on '{file}', which no longer exists; run its spec again from the data's new place (nas run <spec>)");
        var actual = Fingerprint(stored.Dataset);
        if (actual != expected)
            throw new UsageException($"dataset '{file}' changed since search '{id}' started (fingerprint {Short(expected)} then, {Short(actual)} now); " +
                                     "its trials must not mix two datasets: restore the file, or start a new search with 'nas run <spec> --new'");
    }

    private static string Short(string fingerprint) => fingerprint[..Math.Min(fingerprint.Length, "sha256:".Length + 16)];

    private static SearchId Id(string name, string json) => new($"{name}-{Genotype.StableHash(json) >> 32:x8}");
}
