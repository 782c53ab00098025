using System.Text;

namespace Postern.Testing.Smtp;

/// <summary>One message a <see cref="SmtpSink"/> took: the MAIL line, the accepted RCPT lines, the unstuffed DATA bytes.</summary>
public sealed record SinkMessage(string MailFrom, IReadOnlyList<string> Recipients, byte[] Data, bool Tls, string? AuthenticatedUser)
{
    private const string TokenHeader = "X-Token: ";

    /// <summary>The recipients' addresses (between the angle brackets), lower-cased.</summary>
    public IEnumerable<string> Addresses => Recipients.Select(AddressOf);

    /// <summary>The value of the message's (last) X-Token line, or empty: how end-to-end tests tell their messages apart.</summary>
    public string Token =>
        Encoding.Latin1.GetString(Data).Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .LastOrDefault(line => line.StartsWith(TokenHeader, StringComparison.Ordinal))?[TokenHeader.Length..] ?? string.Empty;

    private static string AddressOf(string rcptLine)
    {
        var open = rcptLine.IndexOf('<', StringComparison.Ordinal);
        var close = rcptLine.IndexOf('>', StringComparison.Ordinal);
        var address = open >= 0 && close > open ? rcptLine[(open + 1)..close] : rcptLine;
        return address.ToLowerInvariant();
    }
}
