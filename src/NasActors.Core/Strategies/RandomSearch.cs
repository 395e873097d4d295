using System.Text.Json.Nodes;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies;

/// <summary>
/// Uniform random search (Bergstra &amp; Bengio 2012; Li &amp; Talwalkar 2019's strong NAS baseline).
/// Avoids proposing a genotype it has already proposed while unseen ones are easy to find.
/// </summary>
public sealed class RandomSearch(StrategyContext context) : StrategyBase(context)
{
    public const string Name = "random";
    private const int UnseenAttempts = 64;
    private readonly HashSet<string> _proposed = [];

    protected override Genotype? Propose()
    {
        var attempts = 0;
        var genotype = SampleFeasible(g => !_proposed.Contains(g.Canonical) || ++attempts > UnseenAttempts);
        _proposed.Add(genotype.Canonical);
        return genotype;
    }

    protected override void OnSucceeded(TrialRequest request, TrialSucceeded outcome) { }

    protected override JsonNode SaveOwnState() =>
        new JsonArray(_proposed.Order(StringComparer.Ordinal).Select(c => (JsonNode)c).ToArray());

    protected override void RestoreOwnState(JsonNode state)
    {
        _proposed.Clear();
        foreach (var c in state.AsArray()) _proposed.Add(c!.GetValue<string>());
    }
}
