using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NasActors.Core.Trials;

namespace NasActors.Training.Trials;

/// <summary>
/// Where a low-fidelity trial leaves its final model and optimizer state so that a promotion can continue it.
/// Multi-fidelity strategies (ASHA, Hyperband, BOHB, median stopping) promote a configuration as a new trial with
/// the same genotype and seed and more epochs; that trial restores this state and trains only the extra epochs,
/// instead of starting over. Since training draws its shuffles from the seed and epoch number and the learning
/// rate is constant, the continued trial ends where training all its epochs from scratch would (dropout aside).
/// </summary>
/// <remarks>
/// One <see cref="TrialCheckpoint"/> per configuration (genotype, seed, data fraction, resolution) in
/// <c>continuations/&lt;key&gt;/</c> of the checkpoint folder: a trial id names nothing here, since the promotion
/// has an id of its own. A later, longer trial of the same configuration replaces it. Only trials that ran fewer
/// epochs than the search's full fidelity leave one, so strategies without promotions write nothing extra.
/// </remarks>
public static class TrialContinuation
{
    private const string Folder = "continuations";

    /// <summary>The continuation checkpoint of <paramref name="trial"/>'s configuration (its file names carry trial 0, epoch 0).</summary>
    public static TrialCheckpoint For(string checkpointDirectory, TrialRequest trial, Action<string> warn) =>
        new(Path.Combine(checkpointDirectory, Folder, Key(trial)), 0, 0, trial.Genotype.Canonical, trial.Seed, warn);

    /// <summary>Whether a finished trial should leave its state for a promotion: it trained less than the full fidelity.</summary>
    public static bool Keeps(TrialRequest trial, int fullEpochs) => trial.Fidelity.Epochs < fullEpochs;

    /// <summary>Everything but the epochs that makes two trials the same training run, hashed into a folder name.</summary>
    private static string Key(TrialRequest trial)
    {
        var text = string.Join('\n', trial.Genotype.Canonical, trial.Seed.ToString(CultureInfo.InvariantCulture),
            trial.Fidelity.DataFraction.ToString("R", CultureInfo.InvariantCulture),
            trial.Fidelity.Resolution?.ToString(CultureInfo.InvariantCulture) ?? "-");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32].ToLowerInvariant();
    }
}
