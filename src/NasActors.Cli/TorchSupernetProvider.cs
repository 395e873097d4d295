using NasActors.Core.Specs;
using NasActors.Core.Strategies.OneShot;
using NasActors.Core.Strategies.Supernet;
using NasActors.Training.Supernet;

namespace NasActors.Cli;

/// <summary>
/// The supernet of a weight-sharing search (SPOS; first-order DARTS, whose supernet carries α too; weight-sharing MANAS, whose rounds are rewarded), trained by
/// TorchSharp on the search's dataset. With a <paramref name="dataset"/> (the one <c>nas run</c> read and
/// fingerprinted) it reads the data from where it is now, like <see cref="TorchEvaluatorProvider"/>.
/// </summary>
public sealed class TorchSupernetProvider(DatasetSpec? dataset = null) : ISupernetProvider
{
    public ISupernet For(SearchDefinition definition, SposOptions options)
    {
        var here = dataset is null ? definition : definition with { Spec = definition.Spec with { Dataset = dataset } };
        return here.Spec.Strategy.Name switch
        {
            DartsSearch.Name => new DartsSupernet(here, DartsOptions.Table.Bind(here.Spec.Strategy)),
            // Weight-sharing MANAS: the NB201 supernet at the strategy's size, each round rewarded on a validation batch.
            ManasSupernetSearch.Name => new TorchSupernet(here, options, Nb201OneShot.NetworkOptions(here, ManasSupernetOptions.Table.Bind(here.Spec.Strategy).Network))
            {
                MeasuresReward = true
            },
            _ => new TorchSupernet(here, options)
        };
    }
}
