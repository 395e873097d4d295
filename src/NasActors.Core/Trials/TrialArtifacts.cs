namespace NasActors.Core.Trials;

/// <summary>
/// Names of the files a trial attempt writes. They carry the lease epoch (fencing token) of the
/// attempt, so an attempt that lost its lease (a zombie still training) can never overwrite the
/// files of the live attempt; the ledger records which epoch's result counted. Epoch 0 is the
/// name used before fencing existed (older stores), read as a fallback.
/// </summary>
public static class TrialArtifacts
{
    public static string WeightsFile(string trialsDirectory, int trialId, int leaseEpoch) =>
        Path.Combine(trialsDirectory, leaseEpoch > 0 ? $"trial-{trialId}.e{leaseEpoch}.pt" : $"trial-{trialId}.pt");

    /// <summary>The weights of the counted attempt, else those of an older store (no epoch in the name), else null.</summary>
    public static string? FindWeights(string trialsDirectory, int trialId, int leaseEpoch) =>
        new[] { WeightsFile(trialsDirectory, trialId, leaseEpoch), WeightsFile(trialsDirectory, trialId, 0) }.FirstOrDefault(File.Exists);
}
