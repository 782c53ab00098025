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

    /// <summary>RFC 2852 section 4: an R-mode by-time below the advertised minimum.</summary>
    public static SmtpReply ByTimeTooShort() =>
        new(553, "5.5.4", "BY time too short: at least " + DeliverByParameter.MinimumSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + " seconds in R mode");

    private static string Echo(string keyword) =>
        (keyword.Length > MaxEchoedKeyword ? keyword[..MaxEchoedKeyword] : keyword).ToUpperInvariant();
}
