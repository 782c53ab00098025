namespace Postern.EndToEnd.Fixtures.Milters;

/// <summary>
/// Starts several peers at once (each takes a second or more, mostly waiting): <see cref="Add{T}"/>
/// each start, then <see cref="ReadyAsync"/>. When one fails, those that did start are stopped.
/// </summary>
public sealed class MilterPeers
{
    private readonly List<Task> _starts = [];
    private readonly List<Func<ValueTask>> _stops = [];

    public Task<T> Add<T>(Task<T> start) where T : IAsyncDisposable
    {
        _starts.Add(start);
        _stops.Add(() => start.IsCompletedSuccessfully ? start.Result.DisposeAsync() : ValueTask.CompletedTask);
        return start;
    }

    public async Task ReadyAsync()
    {
        try
        {
            await Task.WhenAll(_starts);
        }
        catch
        {
            foreach (var stop in _stops)
            {
                await stop();
            }
            throw;
        }
    }
}
