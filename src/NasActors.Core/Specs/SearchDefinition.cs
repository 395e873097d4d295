using NasActors.Core.Data;
using NasActors.Core.Spaces;
using NasActors.Core.Strategies;
using NasActors.Core.Trials;

namespace NasActors.Core.Specs;

/// <summary>
/// Turns a spec into the live objects of a search: its space (sized from the dataset) and its
/// strategy. The coordinator builds this on start and again on every recovery.
/// </summary>
public sealed record SearchDefinition(SearchSpec Spec, SearchSpace Space, DatasetShape Shape)
{
    public static SearchDefinition From(SearchSpec spec, DatasetShape shape)
    {
        var s = spec.Space;
        var space = new MlpSpace(new MlpSpaceOptions(
            s.Depths, s.Widths, s.Activations, s.Dropouts,
            new LogUniformDecision("lr", s.LearningRateLow, s.LearningRateHigh),
            shape.Features, shape.Classes));
        return new SearchDefinition(spec, space, shape);
    }

    public static SearchDefinition Load(SearchSpec spec)
    {
        var data = TabularDataset.LoadCsv(spec.Dataset.Path, spec.Dataset.LabelColumn);
        return From(spec, new DatasetShape(data.FeatureCount, data.Classes));
    }

    public ISearchStrategy CreateStrategy() =>
        StrategyRegistry.Create(Spec.Strategy, new StrategyContext(
            Space, new Fidelity(Spec.Training.Epochs), Spec.Seed, Spec.Constraints.MaxParameters));
}

/// <summary>Inputs and classes of a dataset: what the space needs to count parameters.</summary>
public sealed record DatasetShape(int Features, int Classes);
