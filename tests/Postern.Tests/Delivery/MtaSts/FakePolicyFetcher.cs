using Postern.Delivery.MtaSts;

namespace Postern.Tests.Delivery.MtaSts;

/// <summary>Answers every fetch with <see cref="Next"/>; counts the fetches; can hold them until released.</summary>
internal sealed class FakePolicyFetcher : IMtaStsPolicyFetcher
{
    private TaskCompletionSource? _gate;

    public int Fetches;

    public MtaStsFetchResult Next { get; set; } = MtaStsFetchResult.Success("");

    /// <summary>From now on, fetches wait until <see cref="Release"/>.</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate?.TrySetResult();

    public async ValueTask<MtaStsFetchResult> FetchAsync(string domain, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Fetches);
        if (_gate is { } gate)
        {
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }
        return Next;
    }
}
