using System.Text;
using System.Text.Unicode;

namespace Postern.Protocol.Commands;

/// <summary>Splits one SMTP command line (without its CRLF) into verb and argument.</summary>
public static class SmtpCommandParser
{
    private static readonly (string Text, SmtpVerb Verb)[] Verbs =
    [
        ("HELO", SmtpVerb.Helo),
        ("EHLO", SmtpVerb.Ehlo),
        ("MAIL", SmtpVerb.Mail),
        ("RCPT", SmtpVerb.Rcpt),
        ("DATA", SmtpVerb.Data),
        ("BDAT", SmtpVerb.Bdat),
        ("RSET", SmtpVerb.Rset),
        ("NOOP", SmtpVerb.Noop),
        ("QUIT", SmtpVerb.Quit),
        ("VRFY", SmtpVerb.Vrfy),
        ("EXPN", SmtpVerb.Expn),
        ("HELP", SmtpVerb.Help),
        ("STARTTLS", SmtpVerb.StartTls),
        ("AUTH", SmtpVerb.Auth),
        ("ETRN", SmtpVerb.Etrn),
    ];

    public static SmtpCommand Parse(ReadOnlySpan<byte> line)
    {
        var text = Encoding.UTF8.GetString(line);
        var invalid = !Utf8.IsValid(line) || HasControl(text);
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var verbText = space < 0 ? text : text[..space];
        var argument = space < 0 ? "" : text[(space + 1)..].TrimEnd(' ');
        return new SmtpCommand(LookUp(verbText), verbText, argument) { HasInvalidBytes = invalid };
    }

    /// <summary>The verb for <paramref name="verbText"/>, compared as ASCII without case.</summary>
    public static SmtpVerb LookUp(string verbText)
    {
        foreach (var (text, verb) in Verbs)
        {
            // Ascii.EqualsIgnoreCase: no culture or Unicode folding ("MAİL" is not MAIL).
            if (Ascii.EqualsIgnoreCase(verbText, text))
            {
                return verb;
            }
        }
        return SmtpVerb.Unknown;
    }

    // NUL, C0 controls other than TAB (a stray CR or LF included), DEL, and the C1 controls
    // (U+0080-U+009F, NEL among them), which are valid UTF-8 but no text either.
    private static bool HasControl(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c) && c != '\t')
            {
                return true;
            }
        }
        return false;
    }
}
