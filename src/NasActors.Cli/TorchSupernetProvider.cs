using NasActors.Core.Specs;
using NasActors.Core.Strategies.OneShot;
using NasActors.Core.Strategies.Supernet;
using NasActors.Training.Supernet;

namespace NasActors.Cli;

/// <summary>
/// The supernet of a weight-sharing search (SPOS; first-order DARTS, whose supernet carries α too), trained by
/// TorchSharp on the search's dataset. With a <paramref name="dataset"/> (the one <c>nas run</c> read and
/// fingerprinted) it reads the data from where it is now, like <see cref="TorchEvaluatorProvider"/>.
/// </summary>
public sealed class TorchSupernetProvider(DatasetSpec? dataset = null) : ISupernetProvider
{
    public ISupernet For(SearchDefinition definition, SposOptions options)
    {
        var here = dataset is null ? definition : definition with { Spec = definition.Spec with { Dataset = dataset } };
        return here.Spec.Strategy.Name == DartsSearch.Name
            ? new DartsSupernet(here, DartsOptions.Table.Bind(here.Spec.Strategy))
            : new TorchSupernet(here, options);
    }
}
