using Postern.Core.Addressing;
using Postern.Core.Queueing;

namespace Postern.Protocol.Commands;

/// <summary>Parses the argument of RCPT (<c>TO:&lt;path&gt; [params]</c>).</summary>
public static class RcptToParser
{
    /// <summary>RFC 3461 4.2: an ORCPT value is at most 500 characters.</summary>
    public const int MaxOriginalRecipientLength = 500;

    private const string Usage = "RCPT TO:<address> [parameters]";

    public static ParseOutcome<RcptToCommand> ParseRcptTo(string argument)
    {
        if (!PathArgumentParser.TryParse(argument, "TO:", Usage, PathKind.Forward, out var recipient, out var parameters, out var error))
        {
            return new(null, error);
        }
        var notify = DsnNotify.None;
        string? original = null;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (keyword, value) in parameters)
        {
            var upper = keyword.ToUpperInvariant();
            if (upper is not ("NOTIFY" or "ORCPT"))
            {
                return new(null, ParameterReplies.Unsupported(keyword));
            }
            if (!seen.Add(upper))
            {
                return new(null, ParameterReplies.Duplicate(keyword));
            }
            var ok = upper == "NOTIFY" ? TryParseNotify(value, out notify) : TryParseOriginalRecipient(value, out original);
            if (!ok)
            {
                return new(null, ParameterReplies.BadValue(keyword));
            }
        }
        return new(new RcptToCommand(recipient!, notify, original) { Parameters = EsmtpParameter.AsSent(parameters) }, null);
    }

    // NOTIFY=NEVER / NOTIFY=SUCCESS,FAILURE,DELAY (any subset, each once).
    private static bool TryParseNotify(string? value, out DsnNotify notify)
    {
        notify = DsnNotify.None;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }
        foreach (var item in value.Split(','))
        {
            var flag = item.ToUpperInvariant() switch
            {
                "NEVER" => DsnNotify.Never,
                "SUCCESS" => DsnNotify.Success,
                "FAILURE" => DsnNotify.Failure,
                "DELAY" => DsnNotify.Delay,
                _ => DsnNotify.None,
            };
            if (flag == DsnNotify.None || notify.HasFlag(flag))
            {
                return false;
            }
            notify |= flag;
        }
        return notify == DsnNotify.Never || !notify.HasFlag(DsnNotify.Never);
    }

    // ORCPT=addr-type ";" xtext, addr-type an atom (e.g. rfc822, utf-8). Kept as "type;decoded".
    private static bool TryParseOriginalRecipient(string? value, out string? original)
    {
        original = null;
        if (string.IsNullOrEmpty(value) || value.Length > MaxOriginalRecipientLength)
        {
            return false;
        }
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        if (semicolon <= 0)
        {
            return false;
        }
        var addressType = value.AsSpan(0, semicolon);
        foreach (var c in addressType)
        {
            if (c >= 0x80 || !LocalPartSyntax.IsAtext(c))
            {
                return false;
            }
        }
        if (!XtextCodec.TryDecode(value.AsSpan(semicolon + 1), out var decoded)
            || decoded.Length == 0 || PathArgumentParser.HasControl(decoded))
        {
            return false;
        }
        original = string.Concat(addressType, ";", decoded);
        return true;
    }
}
