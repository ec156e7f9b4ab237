using Forgewatch.Server.Ingestion;

namespace Forgewatch.Server.Tests.Ingestion;

public class IngestionGateTests
{
    [Fact]
    public async Task TryEnter_BeyondTurnsAndWaiting_RefusedAtOnce()
    {
        using var gate = new IngestionGate(concurrent: 1, waiting: 1);
        IDisposable? first = await gate.TryEnterAsync(CancellationToken.None);
        ValueTask<IDisposable?> second = gate.TryEnterAsync(CancellationToken.None);

        IDisposable? third = await gate.TryEnterAsync(CancellationToken.None);

        Assert.NotNull(first);
        Assert.False(second.IsCompleted);
        Assert.Null(third);
        Assert.Equal(2, gate.Depth);

        first!.Dispose();
        using IDisposable? secondTurn = await second;
        Assert.NotNull(secondTurn);
        Assert.Equal(1, gate.Depth);
    }

    [Fact]
    public async Task Turn_DisposedTwice_FreesOnce()
    {
        using var gate = new IngestionGate(concurrent: 1, waiting: 0);
        IDisposable? turn = await gate.TryEnterAsync(CancellationToken.None);

        turn!.Dispose();
        turn.Dispose();

        Assert.Equal(0, gate.Depth);
        using IDisposable? again = await gate.TryEnterAsync(CancellationToken.None);
        Assert.NotNull(again);
        Assert.Null(await gate.TryEnterAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TryEnter_CancelledWhileWaiting_LeavesTheQueue()
    {
        using var gate = new IngestionGate(concurrent: 1, waiting: 1);
        using IDisposable? first = await gate.TryEnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        ValueTask<IDisposable?> waiting = gate.TryEnterAsync(cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
        Assert.Equal(1, gate.Depth);
    }
}
