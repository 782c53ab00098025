using Postern.Core.Addressing;

namespace Postern.Config;

/// <summary>A setting that names one mailbox (local@domain, the domain a host name), as tls_reporting.from and acme.email do.</summary>
internal static class MailboxSetting
{
    /// <summary>The mailbox at <paramref name="key"/>, null when unset; a bad one is reported at its line and read as null.</summary>
    public static string? Read(ConfigSection section, string key)
    {
        var text = section.GetString(key);
        if (text is null)
        {
            return null;
        }
        if (!MailboxParser.TryParseMailbox(text, out var mailbox, out _) || mailbox is null || mailbox.IsDomainLiteral || !HostNameSyntax.IsValid(mailbox.Domain))
        {
            section.Error(key, $"must be a mailbox (local@domain, the domain a host name), got {ConfigValueText.Quote(text)}");
            return null;
        }
        return mailbox.ToString();
    }
}
