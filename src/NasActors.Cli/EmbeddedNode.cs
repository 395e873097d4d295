using Akka.Actor;
using NasActors.Engine.Searches;
using NasActors.Node.Hosting;

namespace NasActors.Cli;

/// <summary>
/// A single-node cluster inside this process, on the SQLite store under the store folder.
/// Akka's log goes to &lt;store&gt;/logs/node.log so the terminal shows only the search.
/// </summary>
public sealed class EmbeddedNode : IAsyncDisposable
{
    private readonly NasNode _node;

    private EmbeddedNode(NasNode node, string storeDirectory)
    {
        _node = node;
        StoreDirectory = storeDirectory;
    }

    public ActorSystem System => _node.System;
    public IActorRef Searches => _node.Searches;
    public string StoreDirectory { get; }

    /// <param name="supernets">builds the supernet of a weight-sharing search (SPOS); TorchSharp's on the stored dataset path by default</param>
    public static async Task<EmbeddedNode> StartAsync(string storeDirectory, NasActors.Core.Strategies.Supernet.ISupernetProvider? supernets = null)
    {
        var store = Path.GetFullPath(storeDirectory);
        var options = new NodeOptions { StoreDirectory = store, LogFile = Path.Combine(store, "logs", "node.log"), Supernets = supernets ?? new TorchSupernetProvider() };
        // A damaged journal or a network filesystem is refused here in one line, before Akka replays anything.
        NasActors.Node.Storage.SqliteStore.Prepare(options.SqliteFile);
        return new EmbeddedNode(await NasNode.StartAsync(options), store);
    }

    public Task<T> AskAsync<T>(ISearchMessage message) => _node.AskAsync<T>(message);

    public string SearchDirectory(SearchId id) => Path.Combine(StoreDirectory, "searches", id.Value);

    public async ValueTask DisposeAsync()
    {
        // While the actor system terminates, its last log lines bypass the file logger (already
        // stopped) and go to stdout: keep them off the user's terminal; the log file has the rest.
        var stdout = Console.Out;
        Console.SetOut(TextWriter.Null);
        try
        {
            await _node.DisposeAsync();
        }
        finally
        {
            Console.SetOut(stdout);
        }
    }
}
