using System.Text;

namespace Postern.Server.Auth;

/// <summary>Strict base64 for AUTH lines (RFC 4954): no whitespace, padding required, nothing else.</summary>
internal static class SaslBase64
{
    public static bool TryDecode(ReadOnlySpan<byte> line, out byte[] decoded)
    {
        decoded = [];
        if (line.Length % 4 != 0)
        {
            return false;
        }
        foreach (var b in line)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'+' or (byte)'/' or (byte)'='))
            {
                return false;
            }
        }
        var buffer = new byte[line.Length / 4 * 3];
        if (!Convert.TryFromBase64String(Encoding.ASCII.GetString(line), buffer, out var written))
        {
            return false;
        }
        decoded = buffer[..written];
        return true;
    }

    public static string Encode(ReadOnlySpan<byte> data) => Convert.ToBase64String(data);
}
