using Postern.Core.Queueing;

namespace Postern.Tests.Server;

/// <summary>Records every flush request and answers with a fixed count of messages.</summary>
internal sealed class FakeQueueControl(int count) : IQueueControl
{
    public List<string?> Requests { get; } = [];

    public ValueTask<int> FlushAsync(string? domain, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add(domain);
        }
        return ValueTask.FromResult(count);
    }
}
