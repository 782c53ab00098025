using System.Collections.Concurrent;
using Postern.Delivery.Dane;

namespace Postern.Tests.Delivery.Relay;

/// <summary>TLSA answers by host name for planner and relay tests; a host not given is a validated "no records".</summary>
internal sealed class FakeTlsaResolver : ITlsaResolver
{
    private readonly ConcurrentDictionary<string, TlsaLookup> _answers = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentQueue<(string Host, int Port)> Lookups { get; } = new();

    public FakeTlsaResolver Secure(string host, params TlsaAssociation[] records)
    {
        _answers[host] = new TlsaLookup(TlsaLookupStatus.Secure, records, host);
        return this;
    }

    public FakeTlsaResolver Answer(string host, TlsaLookup lookup)
    {
        _answers[host] = lookup;
        return this;
    }

    public ValueTask<TlsaLookup> LookupAsync(string hostName, int port, CancellationToken cancellationToken)
    {
        Lookups.Enqueue((hostName, port));
        return ValueTask.FromResult(_answers.TryGetValue(hostName, out var answer) ? answer : new TlsaLookup(TlsaLookupStatus.NotFound, [], hostName));
    }
}
