using System.Text.Json.Nodes;
using NasActors.Core.Spaces;
using NasActors.Core.Strategies.Supernet;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies.OneShot;

/// <summary>
/// The last phase of a one-shot method whose search runs on a supernet outside the strategy (DARTS'
/// argmax cell, weight-sharing MANAS' agents' picks): the cells it derived are retrained from scratch as
/// ordinary trials, in the order given, one proposal per trial the budget allows. It proposes nothing
/// until <see cref="Rank"/> is called; the host journals that call before applying it. SPOS' phase 3
/// (<see cref="Supernet.SposSearch"/>) is this too; its snapshot JSON (ranked, next, ranking) is unchanged.
/// </summary>
public abstract class RetrainDerivedSearch(StrategyContext context) : StrategyBase(context), IRankedBySupernet
{
    private readonly List<Genotype> _derived = [];
    private int _next;
    private bool _ranked;

    public bool Ranked => _ranked;

    public IReadOnlyList<Genotype> Derived => _derived;

    public void Rank(IReadOnlyList<Genotype> ranking)
    {
        if (_ranked) throw new InvalidOperationException("the derived cells were already given");
        _derived.AddRange(ranking);
        _ranked = true;
    }

    protected override Genotype? Propose() => _next < _derived.Count ? _derived[_next++] : null;

    protected override void OnSucceeded(TrialRequest request, TrialSucceeded outcome) { }

    protected override JsonNode SaveOwnState() => new JsonObject
    {
        ["ranked"] = _ranked,
        ["next"] = _next,
        ["ranking"] = new JsonArray(_derived.Select(GenotypeToJson).ToArray())
    };

    protected override void RestoreOwnState(JsonNode state)
    {
        _ranked = state["ranked"]!.GetValue<bool>();
        _next = state["next"]!.GetValue<int>();
        _derived.Clear();
        _derived.AddRange(state["ranking"]!.AsArray().Select(g => GenotypeFromJson(g!)));
    }
}
