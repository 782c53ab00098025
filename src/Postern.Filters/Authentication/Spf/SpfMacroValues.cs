using System.Net;

namespace Postern.Filters.Authentication.Spf;

/// <summary>
/// What SPF macros expand to (RFC 7208 section 7.2): the sender (<c>s</c>, <c>l</c>, <c>o</c>),
/// the current domain (<c>d</c>), the client address (<c>i</c>, <c>c</c>, <c>v</c>), the HELO
/// name (<c>h</c>), and the validated name of the client (<c>p</c>).
/// </summary>
internal sealed record SpfMacroValues(string Sender, string Domain, IPAddress Client, string Helo)
{
    /// <summary>The <c>p</c> macro's value, looked up only when a record uses it.</summary>
    public string ValidatedName { get; init; } = "unknown";

    public string LocalPart => Sender[..Sender.LastIndexOf('@')];

    public string SenderDomain => Sender[(Sender.LastIndexOf('@') + 1)..];
}
