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
    private readonly ProposedGenotypes _proposed = new();

    protected override Genotype? Propose()
    {
        var attempts = 0;
        return _proposed.Remember(SampleFeasible(g => !_proposed.Contains(g) || ++attempts > UnseenAttempts));
    }

    protected override void OnSucceeded(TrialRequest request, TrialSucceeded outcome) { }

    protected override JsonNode SaveOwnState() => _proposed.ToJson();

    protected override void RestoreOwnState(JsonNode state) => _proposed.Restore(state);
}
