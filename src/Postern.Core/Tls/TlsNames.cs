using System.Net.Security;
using System.Security.Authentication;

namespace Postern.Core.Tls;

/// <summary>Protocol and cipher names as sendmail logs them ({tls_version}, {cipher}, {cipher_bits}).</summary>
public static class TlsNames
{
    public static string Version(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
        // TLS 1.0 and 1.1 are never enabled, so they are never named here.
        _ => protocol.ToString(),
    };

    /// <summary>The symmetric key strength of a suite, read from its IANA name (AES_128 = 128, AES_256 and CHACHA20 = 256).</summary>
    public static int Bits(TlsCipherSuite suite)
    {
        var name = suite.ToString();
        return name.Contains("AES_256", StringComparison.Ordinal) || name.Contains("CHACHA20", StringComparison.Ordinal) ? 256
            : name.Contains("AES_128", StringComparison.Ordinal) || name.Contains("CAMELLIA_128", StringComparison.Ordinal) || name.Contains("ARIA_128", StringComparison.Ordinal) ? 128
            : name.Contains("CAMELLIA_256", StringComparison.Ordinal) || name.Contains("ARIA_256", StringComparison.Ordinal) ? 256
            : name.Contains("3DES", StringComparison.Ordinal) ? 112
            : 0;
    }
}
