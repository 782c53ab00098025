using MimeKit;
using Postern.Core.Stages;

namespace Postern.Filters.Dkim;

/// <summary>
/// The domain of a message's author (RFC 5322 From:), which picks the signing entries: the
/// domain of its mailboxes when there is exactly one From: field and all its mailboxes share one
/// domain; null otherwise (no From:, two From: fields, authors of different domains, an address
/// that does not parse), and such mail is not signed.
/// </summary>
internal static class FromDomain
{
    public static string? Of(IReadOnlyList<HeaderField> headers)
    {
        HeaderField? from = null;
        foreach (var field in headers)
        {
            if (!field.Is("From"))
            {
                continue;
            }
            if (from is not null)
            {
                return null;
            }
            from = field;
        }
        return from is null ? null : OfField(from);
    }

    private static string? OfField(HeaderField from)
    {
        var bytes = from.ToBytes();
        var colon = Array.IndexOf(bytes, (byte)':');
        if (colon < 0 || !InternetAddressList.TryParse(ParserOptions.Default, bytes, colon + 1, bytes.Length - colon - 1, out var addresses))
        {
            return null;
        }
        string? domain = null;
        foreach (var mailbox in addresses.Mailboxes)
        {
            var own = mailbox.Domain?.TrimEnd('.').ToLowerInvariant();
            if (string.IsNullOrEmpty(own) || (domain is not null && domain != own))
            {
                return null;
            }
            domain = own;
        }
        return domain;
    }
}
