using System.Text;

namespace Postern.Protocol.Sasl.Server;

/// <summary>Strict UTF-8 for client responses, and safe text for the mail log.</summary>
internal static class SaslText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool TryDecode(ReadOnlySpan<byte> bytes, out string text)
    {
        try
        {
            text = Strict.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            return false;
        }
    }

    /// <summary>A client-supplied identity for the log: controls replaced, length capped (it is never a secret, but it is untrusted).</summary>
    public static string ForLog(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "\"\"";
        }
        var capped = value.Length > 64 ? value[..64] + "..." : value;
        var builder = new StringBuilder(capped.Length);
        foreach (var c in capped)
        {
            builder.Append(char.IsControl(c) || char.IsWhiteSpace(c) && c != ' ' ? '?' : c);
        }
        return builder.ToString();
    }
}
