using Akka.Actor;
using NasActors.Engine.Entities;
using static NasActors.Engine.Searches.Index.SearchIndexProtocol;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Engine.Searches.Index;

/// <summary>
/// Persistent index of running searches, so a full restart resumes them without a command: when it
/// recovers (a node woke it) it sends every running search a status query, which starts its
/// coordinator, which recovers and wakes its own strategy entities. Searches found over are dropped.
/// Chosen over remember-entities: one small journal, and the same on SQLite and PostgreSQL.
/// </summary>
public sealed class SearchIndex : PersistentEntity<ISearchIndexEvent>
{
    public const string PersistencePrefix = "search-index";
    public const string EntityId = "searches";
    private readonly IActorRef _searches;
    private SearchIndexState _state = SearchIndexState.Empty;

    public SearchIndex(IActorRef searches) : base($"{PersistencePrefix}-{EntityId}", TimeSpan.FromDays(3650))
    {
        _searches = searches;
        Command<RegisterSearch>(r => PersistThen(_state.Process(r), () => { }));
        Command<UnregisterSearch>(u => PersistThen(_state.Process(u), () => { }));
        Command<WakeSearches>(_ => Wake());
        Command<GetActiveSearches>(_ => Sender.Tell(new ActiveSearches(_state.Searches)));
        Command<SearchStatus>(status =>
        {
            if (status.Phase is SearchPhase.Finished or SearchPhase.Failed or SearchPhase.NotStarted)
                PersistThen(_state.Process(new UnregisterSearch(status.SearchId)), () => { });
        });
    }

    public static Props Props(IActorRef searches) => Akka.Actor.Props.Create(() => new SearchIndex(searches));

    protected override void OnRecovered() => Wake();

    private void Wake()
    {
        foreach (var id in _state.Searches) _searches.Tell(new GetStatus(id), Self);
    }

    protected override IReadOnlyList<object> ApplyEvent(ISearchIndexEvent e)
    {
        _state = _state.Apply(e);
        return [];
    }

    protected override object TakeSnapshot() => new SearchIndexSnapshot(_state.Active.ToArray());

    protected override void RestoreSnapshot(object snapshot) =>
        _state = SearchIndexState.Empty with { Active = SearchIndexState.Empty.Active.Union(((SearchIndexSnapshot)snapshot).Active) };

    protected override void Send(object effect) { }
}

/// <summary>Routes every index message to the one index entity; the shard count never changes.</summary>
public sealed class SearchIndexMessageExtractor() : Akka.Cluster.Sharding.HashCodeMessageExtractor(ShardCount)
{
    public const int ShardCount = 10;

    public override string? EntityId(object message) => message is ISearchIndexMessage ? SearchIndex.EntityId : null;
}
