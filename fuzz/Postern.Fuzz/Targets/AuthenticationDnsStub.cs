using System.Net;
using System.Net.Sockets;
using Postern.Filters.Authentication.Dns;

namespace Postern.Fuzz.Targets;

/// <summary>
/// DNS for the authentication target: every TXT query answers with the fuzzed record of its kind
/// (DMARC records under <c>_dmarc.</c>, SPF records elsewhere), so includes and redirects keep
/// finding records and only the limits stop them; every name has one address, one MX and one PTR.
/// Answers at once (the target runs synchronously) and counts the queries.
/// </summary>
internal sealed class AuthenticationDnsStub(string spfRecord, string dmarcRecord) : IAuthenticationDns
{
    public int Queries { get; private set; }

    public ValueTask<DnsAnswer<string>> TxtAsync(string name, CancellationToken cancellationToken) =>
        Answer<string>(name.StartsWith("_dmarc.", StringComparison.Ordinal) ? dmarcRecord : spfRecord);

    public ValueTask<DnsAnswer<IPAddress>> AddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken) =>
        Answer(family == AddressFamily.InterNetwork ? IPAddress.Parse("192.0.2.1") : IPAddress.Parse("2001:db8::1"));

    public ValueTask<DnsAnswer<string>> MxAsync(string name, CancellationToken cancellationToken) => Answer("mx.example.org");

    public ValueTask<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken cancellationToken) => Answer("mail.example.org");

    private ValueTask<DnsAnswer<T>> Answer<T>(T record)
    {
        Queries++;
        return ValueTask.FromResult(new DnsAnswer<T>(DnsQueryStatus.Answered, [record]));
    }
}
