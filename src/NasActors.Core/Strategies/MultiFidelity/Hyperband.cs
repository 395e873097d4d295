using System.Text.Json.Nodes;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies.MultiFidelity;

/// <summary>
/// Hyperband (Li et al. 2018): brackets of successive halving over epochs, run concurrently so no
/// trainer idles, fresh configurations drawn uniformly from the feasible space. A promotion is a new
/// trial id that continues the promoted trial (same genotype and seed) to η times the epochs.
/// See <see cref="HyperbandSchedule"/>.
/// </summary>
public sealed class Hyperband : StrategyBase
{
    public const string Name = "hyperband";
    private readonly FidelityLadder _ladder;
    private readonly HyperbandSchedule _schedule;

    public Hyperband(StrategyContext context, MultiFidelityOptions options) : base(context)
    {
        _ladder = new FidelityLadder(options, context.Fidelity);
        _schedule = new HyperbandSchedule(_ladder);
    }

    public HyperbandSchedule Schedule => _schedule;
    public FidelityLadder Ladder => _ladder;

    protected override (Genotype Genotype, Fidelity Fidelity)? ProposeTrial(int trialId)
    {
        if (_schedule.Next(trialId, () => SampleFeasible()) is not { } next) return null;
        Continues(next.Seed);
        return (next.Genotype, _ladder.At(next.Rung));
    }

    protected override void OnSucceeded(TrialRequest request, TrialSucceeded outcome) => _schedule.Report(request.TrialId, outcome.Objective, request.Seed);

    protected override void OnAbandoned(TrialRequest request) => _schedule.Report(request.TrialId, null);

    protected override JsonNode SaveOwnState() => _schedule.Save(GenotypeToJson);

    protected override void RestoreOwnState(JsonNode state) => _schedule.Restore(state, GenotypeFromJson);
}
