using System.Text.Json.Serialization;
using Postern.Core.Smtp;

namespace Postern.Tools.Check;

/// <summary>One server reply as the report shows it: the code and the text on one line.</summary>
internal sealed record ReplyFacts(int Code, string Text)
{
    [JsonIgnore]
    public bool IsPositive => Code is >= 200 and < 400;

    public static ReplyFacts From(SmtpReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var text = reply.ToString();
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return new ReplyFacts(reply.Code, space < 0 ? string.Empty : text[(space + 1)..]);
    }

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Code} {Text}");
}
