using MimeKit;
using Postern.Core.Stages;

namespace Postern.Filters.Authentication;

/// <summary>The RFC5322.From domain DMARC evaluates: the one address of the one From: field, else none (RFC 7489 section 6.6.1).</summary>
internal static class FromDomain
{
    public static string? Of(IReadOnlyList<HeaderField> headers)
    {
        var from = headers.Where(h => h.Is("From")).ToList();
        if (from.Count != 1 || !InternetAddressList.TryParse(from[0].Value, out var addresses))
        {
            return null;
        }
        var mailboxes = addresses.Mailboxes.ToList();
        return mailboxes.Count == 1 && mailboxes[0].Domain is { Length: > 0 } domain ? domain.ToLowerInvariant() : null;
    }
}
