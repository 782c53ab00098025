namespace Postern.Delivery.Dane;

/// <summary>TLSA lookups through the validating resolver (delivery.dns_servers).</summary>
public interface ITlsaResolver
{
    /// <summary>The TLSA records of <c>_<paramref name="port"/>._tcp.<paramref name="hostName"/></c>, with whether DNSSEC validated them.</summary>
    ValueTask<TlsaLookup> LookupAsync(string hostName, int port, CancellationToken cancellationToken);
}
