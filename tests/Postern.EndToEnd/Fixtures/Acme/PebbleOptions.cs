namespace Postern.EndToEnd.Fixtures.Acme;

/// <summary>How a test's private pebble is set up.</summary>
public sealed record PebbleOptions
{
    /// <summary>The port pebble connects to for http-01 validation (<c>httpPort</c>): Postern's <c>acme.http_listen</c> port.</summary>
    public required int HttpPort { get; init; }

    /// <summary>The port pebble connects to for tls-alpn-01 validation (<c>tlsPort</c>): Postern's <c>acme.tls_alpn_listen</c> port.</summary>
    public required int TlsPort { get; init; }

    /// <summary>The DNS server pebble resolves names and dns-01 TXT records with (<c>-dnsserver</c>, IP:port).</summary>
    public required string DnsServer { get; init; }

    /// <summary>The lifetime of the certificates pebble issues (<c>certificateValidityPeriod</c>); Let's Encrypt's 90 days by default.</summary>
    public TimeSpan Validity { get; init; } = TimeSpan.FromDays(90);

    /// <summary>
    /// External account binding keys (kid → base64url MAC key, <c>externalAccountMACKeys</c>); when
    /// any are given pebble requires EAB (<c>externalAccountBindingRequired</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string> EabKeys { get; init; } = new Dictionary<string, string>();
}
