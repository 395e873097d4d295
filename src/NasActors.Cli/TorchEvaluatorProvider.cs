using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Trainers;
using NasActors.Training.Trials;

namespace NasActors.Cli;

/// <summary>Real training: every trial of a search is trained by TorchSharp on the search's dataset.</summary>
public sealed class TorchEvaluatorProvider : IEvaluatorProvider
{
    public ITrialEvaluator For(SearchDefinition definition) => new TorchTrialEvaluator(definition);
}
