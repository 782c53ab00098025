using System.Collections.Concurrent;
using Postern.Delivery.Routing;

namespace Postern.Tests.Delivery.MtaSts;

/// <summary>TXT answers from a dictionary; a name not in it has none. Counts the lookups.</summary>
internal sealed class FakeTxtResolver : ITxtResolver
{
    private readonly ConcurrentDictionary<string, TxtAnswer> _answers = new(StringComparer.OrdinalIgnoreCase);

    public int Lookups;

    public void Set(string name, params string[] records) => _answers[name] = new TxtAnswer(TxtAnswerStatus.Found, records);

    public void Fail(string name) => _answers[name] = TxtAnswer.Failed;

    public void Remove(string name) => _answers.TryRemove(name, out _);

    public ValueTask<TxtAnswer> LookupTxtAsync(string name, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Lookups);
        return ValueTask.FromResult(_answers.TryGetValue(name, out var answer) ? answer : TxtAnswer.NotFound);
    }
}
