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
        DeliverByParameter? by = null;
        var requireTls = false;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (keyword, value) in parameters)
        {
            var upper = keyword.ToUpperInvariant();
            if (upper is not ("SIZE" or "BODY" or "SMTPUTF8" or "RET" or "ENVID" or "AUTH" or "BY" or "REQUIRETLS"))
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
                "BY" => TryParseBy(value, out by),
                // RFC 8689 2: REQUIRETLS takes no value.
                "REQUIRETLS" => requireTls = value is null,
                _ => TryDecodeText(value, int.MaxValue, out auth),
            };
            if (!ok)
            {
                return new(null, ParameterReplies.BadValue(keyword));
            }
        }
        // RFC 2852 section 4: in R mode a by-time that is not positive, or below what we
        // advertised, is refused; N mode may carry any by-time (it only asks for a notice).
        if (by is { Mode: DeliverByMode.Return, Seconds: < DeliverByParameter.MinimumSeconds })
        {
            return new(null, ParameterReplies.ByTimeTooShort());
        }
        return new(new MailFromCommand(sender, size, body, smtpUtf8, ret, envelopeId, auth) { DeliverBy = by, RequireTls = requireTls, Parameters = EsmtpParameter.AsSent(parameters) }, null);
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

    // RFC 2852: by-value = by-time ";" by-mode [by-trace]; by-time = ["-" / "+"] 1*9DIGIT;
    // by-mode = "N" / "R"; by-trace = "T" (case-insensitive, as ESMTP values are).
    private static bool TryParseBy(string? value, out DeliverByParameter? by)
    {
        by = null;
        var semicolon = value?.IndexOf(';', StringComparison.Ordinal) ?? -1;
        if (semicolon < 0)
        {
            return false;
        }
        var time = value.AsSpan(0, semicolon);
        var digits = time.Length > 0 && time[0] is '-' or '+' ? time[1..] : time;
        if (digits.Length is 0 or > DeliverByParameter.MaxDigits || digits.ContainsAnyExceptInRange('0', '9')
            || !long.TryParse(time, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }
        DeliverByMode? mode = value![(semicolon + 1)..].ToUpperInvariant() switch
        {
            "R" or "RT" => DeliverByMode.Return,
            "N" or "NT" => DeliverByMode.Notify,
            _ => null,
        };
        if (mode is null)
        {
            return false;
        }
        by = new DeliverByParameter(seconds, mode.Value, value.Length - semicolon == 3);
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
