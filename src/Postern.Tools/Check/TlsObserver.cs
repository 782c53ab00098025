using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Tools.Check;

/// <summary>
/// The client options for one handshake, and what the callbacks saw: the server's certificate and
/// the chain it sent, .NET's policy errors (the name check), and whether the server sent a
/// CertificateRequest (the selection callback runs with the server's certificate known and the
/// acceptable issuers it listed).
/// </summary>
internal sealed class TlsObserver
{
    private readonly X509Certificate2? _ours;

    public TlsObserver(string targetHost, SslProtocols protocols, X509Certificate2? ours)
    {
        _ours = ours;
        Options = new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            EnabledSslProtocols = protocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            // The checker reports on any certificate, so it accepts all here and verifies afterwards.
#pragma warning disable CA5359
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
#pragma warning restore CA5359
            {
                PolicyErrors = errors;
                if (certificate is not null)
                {
                    var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    Leaf = leaf;
                    Intermediates = chain is null
                        ? []
                        : [.. chain.ChainPolicy.ExtraStore.Where(c => !c.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))];
                }
                return true;
            },
            LocalCertificateSelectionCallback = (_, _, _, remote, issuers) =>
            {
                // .NET asks once before the handshake (no server certificate yet, no issuers): a
                // certificate returned then is sent unasked and the request goes unseen, so give
                // none. Only a call during the handshake means the server sent a CertificateRequest.
                if (remote is null && issuers.Length == 0)
                {
                    return null!;
                }
                Requested = true;
                AcceptableIssuers = [.. issuers.Select(AcceptableIssuerNames.ToSendmail)];
                Presented = _ours is not null;
                return _ours!;
            },
        };
    }

    public SslClientAuthenticationOptions Options { get; }

    public X509Certificate2? Leaf { get; private set; }

    public IReadOnlyList<X509Certificate2> Intermediates { get; private set; } = [];

    public SslPolicyErrors PolicyErrors { get; private set; }

    public bool Requested { get; private set; }

    public IReadOnlyList<string> AcceptableIssuers { get; private set; } = [];

    /// <summary>We had a certificate to give when the server asked.</summary>
    public bool Presented { get; private set; }
}
