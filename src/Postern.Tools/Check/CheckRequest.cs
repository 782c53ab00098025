using System.Security.Cryptography.X509Certificates;
using Postern.Protocol.Sasl.Client;

namespace Postern.Tools.Check;

/// <summary>What to check and how. <see cref="Credentials"/> prints without its password.</summary>
internal sealed record CheckRequest(CheckTarget Target)
{
    public CheckMode Mode { get; init; }

    /// <summary>Our client certificate with its private key (--cert/--key), or null.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The CAs to verify the server against (--ca); null = the system store.</summary>
    public X509Certificate2Collection? TrustAnchors { get; init; }

    /// <summary>What --ca named, for the report.</summary>
    public string? TrustAnchorsLabel { get; init; }

    /// <summary>The name the certificate must match (and the SNI); null = the host.</summary>
    public string? ServerName { get; init; }

    public SaslClientCredentials? Credentials { get; init; }

    public string? From { get; init; }

    public string? Recipient { get; init; }

    public string HeloName { get; init; } = "localhost";

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether to probe TLS 1.0 and 1.1 on separate connections.</summary>
    public bool ProbeWeakProtocols { get; init; } = true;

    public string NameToCheck => ServerName ?? Target.Host;

    /// <summary>Auto resolved: implicit TLS on 465, STARTTLS elsewhere.</summary>
    public CheckMode EffectiveMode => Mode == CheckMode.Auto ? (Target.Port == 465 ? CheckMode.Implicit : CheckMode.StartTls) : Mode;
}
