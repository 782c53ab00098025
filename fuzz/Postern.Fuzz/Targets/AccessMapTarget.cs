using System.Net;
using System.Text;
using Postern.Core.Addressing;
using Postern.Policy.Access;

namespace Postern.Fuzz.Targets;

/// <summary>
/// The access map parser, then lookups keyed by what it loaded. A bad file is an
/// <see cref="AccessMapException"/> whose every error names the file; a loaded entry's reply (it
/// goes to the client) is a 4xx or 5xx without control characters.
/// </summary>
internal static class AccessMapTarget
{
    private const string FileName = "access";

    private static readonly IPAddress[] Clients = [IPAddress.Parse("192.0.2.7"), IPAddress.Parse("2001:db8::7"), IPAddress.Loopback];

    public static void Run(byte[] input)
    {
        AccessMap map;
        try
        {
            map = AccessMapParser.Parse(Encoding.UTF8.GetString(input), FileName);
        }
        catch (AccessMapException e)
        {
            FuzzInvariantException.Require(e.Errors.Count > 0, "a refused map says why");
            FuzzInvariantException.Require(e.Errors.All(error => error.StartsWith(FileName + ":", StringComparison.Ordinal)), "every error names the file");
            return;
        }
        foreach (var entry in map.Entries)
        {
            FuzzInvariantException.Require(entry.Line >= 1, "an entry has its line");
            if (entry.Reply is { } reply)
            {
                FuzzInvariantException.Require(reply.Code is >= 400 and < 600, "an ERROR reply is 4xx or 5xx");
                FuzzInvariantException.Require(reply.Lines.All(line => !line.Any(c => char.IsControl(c) && c != '\t')), "an ERROR reply holds no control character but TAB");
            }
            ReplyChecks.RequireNoControl(entry.QuarantineReason, "a quarantine reason");
            _ = map.Where(entry);
            _ = entry.Describe();
            LookUp(map, entry.Key);
        }
        LookUp(map, "example.org");
    }

    private static void LookUp(AccessMap map, string key)
    {
        foreach (var client in Clients)
        {
            _ = map.LookupConnect(client, key);
            _ = map.LookupTlsClient(client, key);
        }
        if (MailboxParser.TryParseMailbox(key, out var mailbox, out _) && mailbox is not null)
        {
            _ = map.LookupSender(mailbox);
            _ = map.LookupRecipient(mailbox);
        }
        _ = map.LookupSender(null);
    }
}
