using Forgewatch.Core.Engine;

namespace Forgewatch.Core.Tests.Engine;

public sealed class KeyedStateTests
{
    private sealed class Counter
    {
        public int Value { get; set; }
    }

    [Fact]
    public void GetOrAdd_SameKeyInOtherCase_ReturnsSameState()
    {
        var state = new KeyedState<Counter>();

        Counter first = state.GetOrAdd("T1", "Bob@Contoso.com", () => new Counter { Value = 1 });
        Counter second = state.GetOrAdd("t1", "bob@contoso.com", () => new Counter { Value = 2 });

        Assert.Same(first, second);
        Assert.Equal(1, second.Value);
        Assert.Equal(1, state.Count);
    }

    [Fact]
    public void GetOrAdd_SameEntityInTwoTenants_TwoStates()
    {
        var state = new KeyedState<Counter>();

        Counter t1 = state.GetOrAdd("t1", "bob", static v => new Counter { Value = v }, 1);
        Counter t2 = state.GetOrAdd("t2", "bob", static v => new Counter { Value = v }, 2);

        Assert.NotSame(t1, t2);
        Assert.Equal(2, state.Count);
        Assert.Equal(2, state.Find("T2", "BOB")?.Value);
    }

    [Fact]
    public void GetOrAdd_KnownKey_DoesNotCallCreate()
    {
        var state = new KeyedState<Counter>();
        int created = 0;
        state.GetOrAdd("t1", "bob", () => { created++; return new Counter(); });

        state.GetOrAdd("t1", "bob", () => { created++; return new Counter(); });

        Assert.Equal(1, created);
    }

    [Fact]
    public void Find_UnknownKey_Null()
    {
        var state = new KeyedState<Counter>();
        state.GetOrAdd("t1", "bob", () => new Counter());

        Assert.Null(state.Find("t1", "alice"));
        Assert.Null(state.Find("t2", "bob"));
    }

    [Fact]
    public void RemoveWhere_ExpiredStates_RemovedAndCounted()
    {
        var state = new KeyedState<Counter>();
        state.GetOrAdd("t1", "a", () => new Counter { Value = 1 });
        state.GetOrAdd("t1", "b", () => new Counter { Value = 5 });
        state.GetOrAdd("t2", "c", () => new Counter { Value = 2 });

        int removed = state.RemoveWhere(c => c.Value < 3);

        Assert.Equal(2, removed);
        Assert.Equal(1, state.Count);
        Assert.NotNull(state.Find("t1", "b"));
        Assert.Null(state.Find("t1", "a"));
    }
}
