namespace Postern.Protocol.Sasl.Server;

/// <summary>RFC 5802 section 7 pieces: saslname escaping, attribute=value pairs, printable nonces.</summary>
internal static class ScramSyntax
{
    /// <summary>Decodes <c>=2C</c> and <c>=3D</c>; null when another '=' appears or the name is empty.</summary>
    public static string? DecodeSaslName(string value)
    {
        if (value.Length == 0)
        {
            return null;
        }
        var builder = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == ',')
            {
                return null;
            }
            if (value[i] != '=')
            {
                builder.Append(value[i]);
                continue;
            }
            if (i + 2 >= value.Length)
            {
                return null;
            }
            var code = value.Substring(i + 1, 2);
            if (code == "2C")
            {
                builder.Append(',');
            }
            else if (code == "3D")
            {
                builder.Append('=');
            }
            else
            {
                return null;
            }
            i += 2;
        }
        return builder.ToString();
    }

    /// <summary>The value of <c>name=value</c>, or null when the part is not that attribute.</summary>
    public static string? Attribute(string part, char name) => part.Length >= 2 && part[0] == name && part[1] == '=' ? part[2..] : null;

    /// <summary>An extension attribute: a letter, '=', anything.</summary>
    public static bool IsAttribute(string part) => part.Length >= 2 && char.IsAsciiLetter(part[0]) && part[1] == '=';

    /// <summary><c>printable = %x21-2B / %x2D-7E</c>, at least one.</summary>
    public static bool IsPrintable(string value) => value.Length > 0 && value.All(c => c is >= (char)0x21 and <= (char)0x7E and not ',');

    /// <summary><c>cb-name = 1*(ALPHA / DIGIT / "." / "-")</c>.</summary>
    public static bool IsChannelBindingName(string value) => value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-');

    public static byte[]? DecodeBase64(string value)
    {
        var buffer = new byte[(value.Length / 4 * 3) + 3];
        return Convert.TryFromBase64String(value, buffer, out var written) ? buffer[..written] : null;
    }
}
