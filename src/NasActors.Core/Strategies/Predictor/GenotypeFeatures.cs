using NasActors.Core.Spaces;

namespace NasActors.Core.Strategies.Predictor;

/// <summary>
/// Fixed-length features of a genotype for a regressor: a one-hot block per categorical decision
/// (all zeros while the decision is inactive, so "unused" differs from "first option") and the
/// unit coding of each continuous decision.
/// </summary>
public sealed class GenotypeFeatures
{
    private readonly SearchSpace _space;
    private readonly int[] _offsets;

    public GenotypeFeatures(SearchSpace space)
    {
        _space = space;
        _offsets = new int[space.Decisions.Count];
        var next = 0;
        for (var i = 0; i < _offsets.Length; i++)
        {
            _offsets[i] = next;
            next += space.Decisions[i].Cardinality ?? 1;
        }
        Count = next;
        DecisionOf = Enumerable.Range(0, space.Decisions.Count)
            .SelectMany(i => Enumerable.Repeat(i, space.Decisions[i].Cardinality ?? 1)).ToArray();
    }

    public int Count { get; }

    /// <summary>The decision each feature encodes (to add up importances per decision).</summary>
    public IReadOnlyList<int> DecisionOf { get; }

    public float[] Encode(Genotype genotype)
    {
        var features = new float[Count];
        for (var i = 0; i < _offsets.Length; i++)
        {
            if (!_space.IsActive(genotype.Values, i)) continue;
            var decision = _space.Decisions[i];
            if (DecisionCoding.IsCategorical(decision)) features[_offsets[i] + (int)genotype[i]] = 1;
            else features[_offsets[i]] = (float)DecisionCoding.ToUnit(decision, genotype[i]);
        }
        return features;
    }
}
