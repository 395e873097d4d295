using NasActors.Engine.Searches;
using NasActors.Engine.Searches.Index;
using static NasActors.Engine.Searches.Index.SearchIndexProtocol;

namespace NasActors.Engine.Tests.Entities;

public class SearchIndexStateTests
{
    [Fact]
    public void Searches_register_once_and_leave_when_over()
    {
        var state = SearchIndexState.Empty;
        foreach (var e in state.Process(new RegisterSearch(new SearchId("a")))) state = state.Apply(e);
        foreach (var e in state.Process(new RegisterSearch(new SearchId("b")))) state = state.Apply(e);
        Assert.Empty(state.Process(new RegisterSearch(new SearchId("a"))));
        foreach (var e in state.Process(new UnregisterSearch(new SearchId("a")))) state = state.Apply(e);

        Assert.Equal([new SearchId("b")], state.Searches);
        Assert.Empty(state.Process(new UnregisterSearch(new SearchId("a"))));
    }
}
