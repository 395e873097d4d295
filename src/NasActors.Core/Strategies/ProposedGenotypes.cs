using System.Text.Json.Nodes;
using NasActors.Core.Spaces;

namespace NasActors.Core.Strategies;

/// <summary>
/// The genotypes a strategy has proposed, by canonical form (so isomorphic cells merged by the space count as
/// one), for strategies that avoid proposing one twice. Its snapshot form is the sorted list of canonical forms.
/// </summary>
public sealed class ProposedGenotypes
{
    private readonly HashSet<string> _canonicals = [];

    public bool Contains(Genotype genotype) => _canonicals.Contains(genotype.Canonical);

    /// <summary>Adds <paramref name="genotype"/>; false when it was proposed before.</summary>
    public bool Add(Genotype genotype) => _canonicals.Add(genotype.Canonical);

    /// <summary>Adds <paramref name="genotype"/> and hands it back, for <c>return Remember(choice)</c>.</summary>
    public Genotype Remember(Genotype genotype)
    {
        Add(genotype);
        return genotype;
    }

    public JsonArray ToJson() => new(_canonicals.Order(StringComparer.Ordinal).Select(c => (JsonNode)c).ToArray());

    /// <summary>Replaces the set with the one <see cref="ToJson"/> wrote.</summary>
    public void Restore(JsonNode json)
    {
        _canonicals.Clear();
        foreach (var c in json.AsArray()) _canonicals.Add(c!.GetValue<string>());
    }
}
