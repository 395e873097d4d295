using System.Text.Json.Nodes;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies.Supernet;

/// <summary>
/// A strategy whose proposals are a ranking computed outside the search (by the supernet actors).
/// It proposes nothing until <see cref="Rank"/> is called; the host must make that call durable
/// (journal it before applying) so replay reaches the same state.
/// </summary>
public interface IRankedBySupernet
{
    bool Ranked { get; }

    void Rank(IReadOnlyList<Genotype> ranking);
}

/// <summary>
/// SPOS phase 3: the subnets phase 2 ranked best are retrained from scratch as ordinary trials, in
/// rank order, one proposal per trial the budget allows (a failed trial is replaced by the next in
/// rank). Phases 1 and 2 run in the Engine (<c>Supernets/SposRun</c>), which hands the ranking here.
/// </summary>
public sealed class SposSearch(StrategyContext context, SposOptions options) : StrategyBase(context), IRankedBySupernet
{
    public const string Name = "spos";
    private readonly List<Genotype> _ranking = [];
    private int _next;
    private bool _ranked;

    public SposOptions Options { get; } = options;

    public bool Ranked => _ranked;

    public void Rank(IReadOnlyList<Genotype> ranking)
    {
        if (_ranked) throw new InvalidOperationException("the supernet ranking was already given");
        _ranking.AddRange(ranking);
        _ranked = true;
    }

    protected override Genotype? Propose() => _next < _ranking.Count ? _ranking[_next++] : null;

    protected override void OnSucceeded(TrialRequest request, TrialSucceeded outcome) { }

    protected override JsonNode SaveOwnState() => new JsonObject
    {
        ["ranked"] = _ranked,
        ["next"] = _next,
        ["ranking"] = new JsonArray(_ranking.Select(GenotypeToJson).ToArray())
    };

    protected override void RestoreOwnState(JsonNode state)
    {
        _ranked = state["ranked"]!.GetValue<bool>();
        _next = state["next"]!.GetValue<int>();
        _ranking.Clear();
        _ranking.AddRange(state["ranking"]!.AsArray().Select(g => GenotypeFromJson(g!)));
    }
}
