using System.Globalization;
using Postern.Core.Smtp;

namespace Postern.Policy.Access;

/// <summary>
/// Reads the value words (OK, RELAY, REJECT, DISCARD, SKIP, SUBJECT), ERROR replies, QUARANTINE
/// reasons and TLS_Clt requirements. sendmail has no TEMP: value (its TEMP+ is a TLS_Clt prefix).
/// </summary>
internal static class AccessValueParser
{
    public const string QuarantinePrefix = "QUARANTINE:";

    public static bool TryParse(AccessTag tag, string value, out AccessAction action, out SmtpReply? reply, out string error)
    {
        reply = null;
        error = "";
        action = AccessAction.Text;
        if (tag == AccessTag.Other)
        {
            return true;
        }

        if (tag is AccessTag.ClientRate or AccessTag.ClientConn or AccessTag.GreetPause)
        {
            action = AccessAction.Limit;
            return TryParseLimit(tag, value, out error);
        }

        // A requirement Postern cannot enforce must not load as if it were enforced.
        if (tag == AccessTag.TlsClt)
        {
            return TlsRequirement.TryParse(value, out _, out error);
        }

        if (value.StartsWith(QuarantinePrefix, StringComparison.OrdinalIgnoreCase))
        {
            action = AccessAction.Quarantine;
            if (value[QuarantinePrefix.Length..].Trim('"', ' ').Length == 0)
            {
                error = "QUARANTINE: needs a reason (QUARANTINE:reason)";
                return false;
            }

            return true;
        }

        if (value.StartsWith("ERROR:", StringComparison.OrdinalIgnoreCase))
        {
            action = AccessAction.Error;
            return TryParseError(value["ERROR:".Length..], out reply, out error);
        }

        AccessAction? word = value.ToUpperInvariant() switch
        {
            "OK" => AccessAction.Ok,
            "RELAY" => AccessAction.Relay,
            "REJECT" => AccessAction.Reject,
            "DISCARD" => AccessAction.Discard,
            "SKIP" => AccessAction.Skip,
            "SUBJECT" when tag == AccessTag.CertIssuer => AccessAction.Subject,
            _ => null,
        };
        if (word is null)
        {
            error = "unknown value '" + value + "' (expected OK, RELAY, REJECT, DISCARD, SKIP"
                + (tag == AccessTag.CertIssuer ? ", SUBJECT" : "") + ", ERROR:... or QUARANTINE:reason)";
            return false;
        }

        action = word.Value;
        return true;
    }

    // A limit that does not read as a number must not load as if it limited something.
    private static bool TryParseLimit(AccessTag tag, string value, out string error)
    {
        error = "";
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= MaxLimit(tag))
        {
            return true;
        }

        error = tag switch
        {
            AccessTag.ClientRate => "ClientRate: value must be a number of connections per minute from 0 (no limit) to ",
            AccessTag.ClientConn => "ClientConn: value must be a number of connections from 0 (no limit) to ",
            _ => "GreetPause: value must be a number of milliseconds from 0 (no pause) to ",
        } + MaxLimit(tag).ToString(CultureInfo.InvariantCulture) + ", got '" + value + "'";
        return false;
    }

    // A greet pause longer than a minute only keeps connections open (sendmail's own cap is the command timeout).
    private static int MaxLimit(AccessTag tag) => tag == AccessTag.GreetPause ? 60_000 : 1_000_000;

    // ERROR:"550 5.7.1 text", ERROR:550 text, ERROR:5.7.1:550 text. Without an enhanced code the
    // reply gets X.7.1 (security or policy status), X being the reply's class.
    private static bool TryParseError(string text, out SmtpReply? reply, out string error)
    {
        reply = null;
        error = "";
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            text = text[1..^1];
        }

        EnhancedStatusCode? status = null;
        var firstColon = text.IndexOf(':', StringComparison.Ordinal);
        var firstSpace = text.IndexOf(' ', StringComparison.Ordinal);
        if (firstColon > 0 && (firstSpace < 0 || firstColon < firstSpace))
        {
            if (!EnhancedStatusCode.TryParse(text[..firstColon], out var dsn))
            {
                error = "ERROR value has a bad enhanced status code '" + text[..firstColon] + "'";
                return false;
            }

            status = dsn;
            text = text[(firstColon + 1)..];
        }

        if (text.Length < 3 || !int.TryParse(text.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            || code is < 400 or > 599 || (text.Length > 3 && text[3] != ' '))
        {
            error = "ERROR value needs a 4xx or 5xx reply code";
            return false;
        }

        var rest = text.Length > 3 ? text[4..].TrimStart() : "";
        if (status is null && rest.Length > 0)
        {
            var space = rest.IndexOf(' ', StringComparison.Ordinal);
            var candidate = space < 0 ? rest : rest[..space];
            if (candidate.Contains('.', StringComparison.Ordinal) && char.IsAsciiDigit(candidate[0]))
            {
                if (!EnhancedStatusCode.TryParse(candidate, out var dsn))
                {
                    error = "ERROR value has a bad enhanced status code '" + candidate + "'";
                    return false;
                }

                status = dsn;
                rest = space < 0 ? "" : rest[(space + 1)..].TrimStart();
            }
        }

        status ??= new EnhancedStatusCode(code / 100, 7, 1);
        if (status.Value.Class != code / 100)
        {
            error = "ERROR value's enhanced status code " + status.Value + " does not match reply code " + code.ToString(CultureInfo.InvariantCulture);
            return false;
        }

        // The text goes to the client as written: RFC 5321's textstring allows TAB, no other control.
        if (rest.Any(c => char.IsControl(c) && c != '\t'))
        {
            error = "ERROR value's text holds a control character";
            return false;
        }

        reply = new SmtpReply(code, status, rest.Length == 0 ? PolicyReplies.AccessDeniedText : rest);
        return true;
    }
}
