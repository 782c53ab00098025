using System.Globalization;

namespace Postern.Tools.Check;

/// <summary>
/// Reads the server's first TLS record after a hello we sent: a ServerHello names the version the
/// server chose (RFC 5246 7.4.1.3), an alert says it refused (RFC 8446 6).
/// </summary>
internal static class ServerHelloInspector
{
    private const byte HandshakeRecord = 0x16;
    private const byte AlertRecord = 0x15;
    private const byte ServerHello = 0x02;

    /// <summary>The legacy version of a ServerHello (0x0301 = TLS 1.0, 0x0302 = TLS 1.1...), or null when the bytes are not one.</summary>
    public static int? ServerHelloVersion(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 11 && bytes[0] == HandshakeRecord && bytes[5] == ServerHello ? (bytes[9] << 8) | bytes[10] : null;

    /// <summary>The alert description of an alert record ("alert 70 (protocol_version)"), or null.</summary>
    public static string? Alert(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 7 || bytes[0] != AlertRecord)
        {
            return null;
        }
        var code = bytes[6];
        var name = code switch
        {
            40 => "handshake_failure",
            47 => "illegal_parameter",
            70 => "protocol_version",
            71 => "insufficient_security",
            80 => "internal_error",
            _ => null,
        };
        return string.Create(CultureInfo.InvariantCulture, $"alert {code}") + (name is null ? string.Empty : $" ({name})");
    }

    public static string VersionName(int version) => version switch
    {
        0x0300 => "SSLv3",
        0x0301 => "TLSv1.0",
        0x0302 => "TLSv1.1",
        0x0303 => "TLSv1.2",
        0x0304 => "TLSv1.3",
        _ => string.Create(CultureInfo.InvariantCulture, $"0x{version:x4}"),
    };
}
