using System.Globalization;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Engine.Searches;

/// <summary>
/// The ledger's index for <c>budget.cache</c>: which trained trial first evaluated a network at a fidelity. Two trials
/// share a key when their genotypes are equivalent (<see cref="SearchSpace.EquivalenceKey"/>: equal, or isomorphic where
/// the space defines it) and their fidelities (epochs, data fraction, resolution) are equal. The weight seed is not part
/// of the key: every trial draws its own seed from the search's one seed (<c>seed:</c>), so requiring equal draws would
/// never match; a repeated proposal is answered with the evaluation made under that search seed.
/// Built from completed, trained trials only (<see cref="SearchEvents.TrialCompleted"/>), so it is rebuilt exactly from
/// a journal or a snapshot's ledger.
/// </summary>
public sealed class EvaluationCache(SearchSpace space, int cap)
{
    private readonly Dictionary<string, int> _sources = new(StringComparer.Ordinal);
    // Each trial's key, computed once (a cell's isomorphism key takes some work; in-flight trials are compared per proposal).
    private readonly Dictionary<int, string> _keyOfTrial = new();

    /// <summary>Answers the cache may give in all (<c>budget.max_cached</c>); past it repeated genotypes are trained.</summary>
    public int Cap { get; } = cap;

    // Invariant culture: a comma-decimal culture would write the data fraction "0,25", and keys must not depend on the node.
    public string KeyOf(TrialRecord trial) => string.Create(CultureInfo.InvariantCulture,
        $"{space.EquivalenceKey(space.FromValues(trial.Values))}@{trial.Epochs}/{trial.DataFraction:R}/{trial.Resolution}");

    /// <summary>The trained trial that evaluated <paramref name="trial"/>'s network at its fidelity, if one completed.</summary>
    public int? SourceOf(TrialRecord trial) => _sources.TryGetValue(Key(trial), out var source) ? source : null;

    /// <summary>Whether two trials compute the same network at the same fidelity.</summary>
    public bool SameNetwork(TrialRecord a, TrialRecord b) => Key(a) == Key(b);

    private string Key(TrialRecord trial) =>
        _keyOfTrial.TryGetValue(trial.TrialId, out var key) ? key : _keyOfTrial[trial.TrialId] = KeyOf(trial);

    /// <summary>A trained trial completed: the first one of its key stays the source.</summary>
    public void Evaluated(TrialRecord trial) => _sources.TryAdd(Key(trial), trial.TrialId);
}
