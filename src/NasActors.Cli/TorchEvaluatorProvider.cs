using NasActors.Core.Specs;
using NasActors.Core.Strategies.OneShot;
using NasActors.Core.Trials;
using NasActors.Engine.Trainers;
using NasActors.Training.Supernet;
using NasActors.Training.Trials;

namespace NasActors.Cli;

/// <summary>
/// Real training: every trial of a search is trained by TorchSharp on the search's dataset. With a
/// <paramref name="dataset"/> (the one <c>nas run</c> read and fingerprinted), trainers read the data
/// from where it is now, not from where the journal says it was when the search started.
/// Training's warnings (a damaged checkpoint skipped, so the trial trains from epoch 0) go to stderr.
/// Epoch checkpoints are written at most every <paramref name="checkpointInterval"/> of training (null: every epoch).
/// </summary>
public sealed class TorchEvaluatorProvider(DatasetSpec? dataset = null, TimeSpan? checkpointInterval = null) : IEvaluatorProvider
{
    private readonly TorchEvaluatorOptions Options = new()
    {
        Warning = message => Console.Error.WriteLine($"warning: {message}"),
        CheckpointInterval = checkpointInterval ?? TimeSpan.Zero
    };

    public ITrialEvaluator For(SearchDefinition definition)
    {
        var here = dataset is null ? definition : definition with { Spec = definition.Spec with { Dataset = dataset } };
        // DARTS and weight-sharing MANAS retrain their cells at the size their supernet was trained at (strategy: channels, cells_per_stage, resolution).
        var options = here.Spec.Strategy.Name switch
        {
            DartsSearch.Name => Options with { Nb201 = Nb201OneShot.NetworkOptions(here, DartsOptions.Table.Bind(here.Spec.Strategy).Network) },
            ManasSupernetSearch.Name => Options with { Nb201 = Nb201OneShot.NetworkOptions(here, ManasSupernetOptions.Table.Bind(here.Spec.Strategy).Network) },
            _ => Options
        };
        return new TorchTrialEvaluator(here, options);
    }
}
