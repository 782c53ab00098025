using System.Text;

namespace Postern.Core.Addressing;

/// <summary>
/// An RFC 5321 mailbox. <see cref="LocalPart"/> is stored decoded (the content of a quoted
/// string without its quotes and escapes); <see cref="Domain"/> is a host name (ASCII or UTF-8)
/// or an address literal kept with its brackets, e.g. <c>[192.0.2.1]</c> or <c>[IPv6:::1]</c>.
/// </summary>
public sealed record Mailbox(string LocalPart, string Domain)
{
    public bool IsDomainLiteral => Domain.StartsWith('[');

    /// <summary>True when the local part or domain needs SMTPUTF8 (RFC 6531) to be sent.</summary>
    public bool NeedsSmtpUtf8 => !Ascii.IsValid(LocalPart) || !Ascii.IsValid(Domain);

    /// <summary>The mailbox in its RFC 5321 text form, quoting the local part when it must.</summary>
    public override string ToString() => LocalPartSyntax.Encode(LocalPart) + "@" + Domain;

    /// <summary>True when <paramref name="domain"/> names this mailbox's domain (case-insensitive).</summary>
    public bool IsInDomain(string domain) => string.Equals(Domain, domain, StringComparison.OrdinalIgnoreCase);
}
