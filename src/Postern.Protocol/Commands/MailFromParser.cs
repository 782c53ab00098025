using System.Globalization;
using Postern.Core.Addressing;
using Postern.Core.Queueing;

namespace Postern.Protocol.Commands;

/// <summary>Parses the argument of MAIL (<c>FROM:&lt;path&gt; [params]</c>).</summary>
public static class MailFromParser
{
    /// <summary>RFC 3461 4.4: an ENVID is at most 100 characters.</summary>
    public const int MaxEnvelopeIdLength = 100;

    private const string Usage = "MAIL FROM:<address> [parameters]";

    public static ParseOutcome<MailFromCommand> ParseMailFrom(string argument)
    {
        if (!PathArgumentParser.TryParse(argument, "FROM:", Usage, PathKind.Reverse, out var sender, out var parameters, out var error))
        {
            return new(null, error);
        }
        long? size = null;
        BodyType? body = null;
        var smtpUtf8 = false;
        var ret = DsnReturn.Unspecified;
        string? envelopeId = null;
        string? auth = null;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (keyword, value) in parameters)
        {
            var upper = keyword.ToUpperInvariant();
            if (upper is not ("SIZE" or "BODY" or "SMTPUTF8" or "RET" or "ENVID" or "AUTH"))
            {
                return new(null, ParameterReplies.Unsupported(keyword));
            }
            if (!seen.Add(upper))
            {
                return new(null, ParameterReplies.Duplicate(keyword));
            }
            var ok = upper switch
            {
                "SIZE" => TryParseSize(value, out size),
                "BODY" => TryParseBody(value, out body),
                "SMTPUTF8" => smtpUtf8 = value is null,
                "RET" => TryParseReturn(value, out ret),
                "ENVID" => TryDecodeText(value, MaxEnvelopeIdLength, out envelopeId),
                _ => TryDecodeText(value, int.MaxValue, out auth),
            };
            if (!ok)
            {
                return new(null, ParameterReplies.BadValue(keyword));
            }
        }
        return new(new MailFromCommand(sender, size, body, smtpUtf8, ret, envelopeId, auth), null);
    }

    // RFC 1870: SIZE=1*20DIGIT. A number beyond long is still a valid declaration of "too big":
    // it is clamped so the session answers 552 rather than a syntax error.
    private static bool TryParseSize(string? value, out long? size)
    {
        size = null;
        if (string.IsNullOrEmpty(value) || value.Length > 20 || !value.All(char.IsAsciiDigit))
        {
            return false;
        }
        size = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : long.MaxValue;
        return true;
    }

    private static bool TryParseBody(string? value, out BodyType? body)
    {
        body = value?.ToUpperInvariant() switch
        {
            "7BIT" => BodyType.SevenBit,
            "8BITMIME" => BodyType.EightBitMime,
            "BINARYMIME" => BodyType.BinaryMime,
            _ => null,
        };
        return body is not null;
    }

    private static bool TryParseReturn(string? value, out DsnReturn ret)
    {
        ret = value?.ToUpperInvariant() switch
        {
            "FULL" => DsnReturn.Full,
            "HDRS" => DsnReturn.Headers,
            _ => DsnReturn.Unspecified,
        };
        return ret != DsnReturn.Unspecified;
    }

    // Decoded xtext must not smuggle CR/LF or other controls into logs, headers or DSNs.
    private static bool TryDecodeText(string? value, int maxLength, out string? text)
    {
        text = null;
        if (string.IsNullOrEmpty(value) || value.Length > maxLength
            || !XtextCodec.TryDecode(value, out var decoded) || PathArgumentParser.HasControl(decoded))
        {
            return false;
        }
        text = decoded;
        return true;
    }
}
