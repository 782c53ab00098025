using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Postern.Filters.Authentication.Dns;

namespace Postern.Filters.Authentication.Dkim;

/// <summary>
/// MimeKit's key locator on <see cref="IAuthenticationDns"/>: the TXT record at
/// <c>selector._domainkey.domain</c> (RFC 6376 section 3.6.2), parsed by MimeKit. A DNS failure
/// and a missing or broken record throw <see cref="DkimKeyException"/>, so the checker can tell
/// temperror from permerror. Asynchronous only: the verifier is never used synchronously here.
/// </summary>
public sealed class DnsDkimPublicKeyLocator(IAuthenticationDns dns) : DkimPublicKeyLocatorBase
{
    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("DKIM keys are looked up asynchronously");

    public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(
        string methods, string domain, string selector, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(methods);
        if (!methods.Split(':').Any(m => m.Trim().Equals("dns/txt", StringComparison.OrdinalIgnoreCase)))
        {
            throw new DkimKeyException($"no supported key query method in q={methods}", temporary: false);
        }
        var name = selector + "._domainkey." + domain;
        var answer = await dns.TxtAsync(name, cancellationToken);
        if (answer.Status == DnsQueryStatus.Failed)
        {
            throw new DkimKeyException($"TXT lookup for {name} failed", temporary: true);
        }
        if (answer.Records.Count == 0)
        {
            throw new DkimKeyException($"no key at {name}", temporary: false);
        }
        try
        {
            return GetPublicKey(answer.Records[0]);
        }
        catch (Exception e) when (e is ParseException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new DkimKeyException($"the key record at {name} is unusable", temporary: false);
        }
    }
}
