using NasActors.Core.Specs;

namespace NasActors.Core.Strategies.Supernet;

/// <summary>
/// Builds the supernet of a search for the node that runs its weight-sharing phases (the TorchSharp one in
/// the CLI, fakes in tests). May read the dataset: the search coordinator calls it off its actor thread.
/// The caller owns the result and disposes it when it is <see cref="IDisposable"/>.
/// </summary>
public interface ISupernetProvider
{
    ISupernet For(SearchDefinition definition, SposOptions options);
}
