using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Controllers;
using NasActors.Engine.Entities;
using static NasActors.Engine.Controllers.ControllerProtocol;

namespace NasActors.Engine.Searches.Remote;

/// <summary>REINFORCE as a controller entity: proposals are its samples; rewards go back to it as they arrive.</summary>
public sealed class ControllerStrategy(SearchId searchId, SearchDefinition definition, SearchSpecData spec) : RemoteStrategy(searchId, definition, spec)
{
    private ControllerId Id => new(SearchId);

    protected override IEnumerable<Outgoing> StartMessages() =>
        [new Outgoing(EntityKind.Controller, new StartController(Id, new ControllerSetup(Spec, Ahead)))];

    protected override IEnumerable<Outgoing> RefillMessages(int buffered) =>
        [new Outgoing(EntityKind.Controller, new RequestSamples(Id))];

    protected override IEnumerable<(string Owner, double? Value)> Outcomes(Buffered proposal, TrialOutcome outcome) =>
        [(proposal.Owner, (outcome as TrialSucceeded)?.Objective)];

    protected override Outgoing OutcomeMessage(string owner, int ticket, double? value) =>
        new(EntityKind.Controller, new ReportReward(ControllerId.Parse(owner), ticket, value));
}
