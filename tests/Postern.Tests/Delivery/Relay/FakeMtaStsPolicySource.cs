using System.Collections.Concurrent;
using Postern.Delivery.MtaSts;

namespace Postern.Tests.Delivery.Relay;

/// <summary>MTA-STS answers by domain for planner and relay tests; a domain not given has no policy.</summary>
internal sealed class FakeMtaStsPolicySource : IMtaStsPolicySource
{
    private readonly ConcurrentDictionary<string, MtaStsLookup> _answers = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentQueue<string> Lookups { get; } = new();

    public FakeMtaStsPolicySource Policy(string domain, MtaStsMode mode, params string[] mxPatterns)
    {
        string[] lines = ["version: STSv1", "mode: " + mode.ToString().ToLowerInvariant(), .. mxPatterns.Select(p => "mx: " + p), "max_age: 86400"];
        var policy = new MtaStsPolicy("20260101", mode, mxPatterns, TimeSpan.FromDays(1), lines, DateTimeOffset.UnixEpoch);
        _answers[domain] = new MtaStsLookup(MtaStsLookupStatus.Found, policy);
        return this;
    }

    public FakeMtaStsPolicySource Answer(string domain, MtaStsLookup lookup)
    {
        _answers[domain] = lookup;
        return this;
    }

    public ValueTask<MtaStsLookup> GetAsync(string domain, CancellationToken cancellationToken)
    {
        Lookups.Enqueue(domain);
        return ValueTask.FromResult(_answers.TryGetValue(domain, out var answer) ? answer : MtaStsLookup.None);
    }
}
