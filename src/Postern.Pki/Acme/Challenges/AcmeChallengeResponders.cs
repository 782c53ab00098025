using Microsoft.Extensions.Logging;
using Postern.Pki.Acme.Dns;

namespace Postern.Pki.Acme.Challenges;

/// <summary>The responder <c>[acme]</c> asks for, started (bound, or its key file read) and ready to publish.</summary>
public static class AcmeChallengeResponders
{
    /// <exception cref="ChallengeBindException">The http-01 or tls-alpn-01 address cannot be bound.</exception>
    /// <exception cref="TsigKeyFileException">The dns-01 key file is unreadable or not a key.</exception>
    public static IAcmeChallengeResponder Start(AcmeOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Challenge switch
        {
            AcmeChallengeType.Http01 => Http01Responder.Start(options.HttpListen, time, logger),
            AcmeChallengeType.TlsAlpn01 => TlsAlpn01Responder.Start(options.TlsAlpnListen, time, logger),
            AcmeChallengeType.Dns01 => new Dns01Responder(
                options.DnsUpdateServer ?? throw new ArgumentException("acme.dns_update_server is required for dns-01", nameof(options)),
                TsigKeyFile.Load(options.DnsTsigKeyFile ?? throw new ArgumentException("acme.dns_tsig_key_file is required for dns-01", nameof(options))),
                options.DnsZone,
                time,
                logger),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Challenge, "unknown challenge type"),
        };
    }
}
