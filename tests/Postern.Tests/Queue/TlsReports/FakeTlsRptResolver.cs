using System.Collections.Concurrent;
using Postern.Core.TlsReporting;

namespace Postern.Tests.Queue.TlsReports;

/// <summary>The _smtp._tls seam answered from a table; unknown domains have no record.</summary>
internal sealed class FakeTlsRptResolver : ITlsRptRecordResolver
{
    public ConcurrentDictionary<string, TlsRptTxtLookup> Answers { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Asked { get; } = new();

    public void Publish(string domain, params string[] txt) => Answers[domain] = new TlsRptTxtLookup(TlsRptTxtStatus.Found, txt);

    public Task<TlsRptTxtLookup> LookupAsync(string domain, CancellationToken cancellationToken)
    {
        Asked.Enqueue(domain);
        return Task.FromResult(Answers.GetValueOrDefault(domain) ?? TlsRptTxtLookup.NotFound);
    }
}
