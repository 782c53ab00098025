using Postern.Core.Smtp;

namespace Postern.Protocol.Commands;

/// <summary>
/// Replies for ESMTP parameter errors. Keywords are echoed only after they passed the
/// keyword syntax check (letters, digits, '-'), so nothing the client sent can break a reply.
/// </summary>
internal static class ParameterReplies
{
    private const int MaxEchoedKeyword = 32;

    public static SmtpReply Syntax(string usage) => new(501, "5.5.4", "Syntax: " + usage);

    public static SmtpReply BadSyntax() => new(501, "5.5.4", "Bad parameter syntax");

    public static SmtpReply Unsupported(string keyword) => new(555, "5.5.4", "Unsupported parameter " + Echo(keyword));

    public static SmtpReply Duplicate(string keyword) => new(501, "5.5.4", "Duplicate " + Echo(keyword) + " parameter");

    public static SmtpReply BadValue(string keyword) => new(501, "5.5.4", "Bad " + Echo(keyword) + " value");

    private static string Echo(string keyword) =>
        (keyword.Length > MaxEchoedKeyword ? keyword[..MaxEchoedKeyword] : keyword).ToUpperInvariant();
}
