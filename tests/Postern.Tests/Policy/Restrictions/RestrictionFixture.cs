using System.Net;
using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Policy;
using Postern.Core.Tls;
using Postern.Policy;
using Postern.Policy.Access;
using Postern.Policy.Restrictions;

namespace Postern.Tests.Policy.Restrictions;

/// <summary>
/// One policy over a fixed access map (line numbers matter: the reasons name them), local domain
/// example.org, relay network 10.1.0.0/16 and relay domain relay.example.
/// </summary>
internal static class RestrictionFixture
{
    public const string MapFile = "/etc/mail/access";

    public static readonly string MapText = string.Join('\n',
        "# restriction fixture",                                   // 1
        "Connect:198.51.100.7\tRELAY",                             // 2
        "Connect:198.51.100.8\tOK",                                // 3
        "Connect:203.0.113.66\tREJECT",                            // 4
        "Connect:203.0.113.67\tERROR:\"421 4.7.0 Go away\"",       // 5
        "Connect:203.0.113.68\tDISCARD",                           // 6
        "Connect:203.0.113.69\tQUARANTINE:suspicious client",      // 7
        "203.0.113.70\tSKIP",                                      // 8
        "From:spammer@bad.example\tREJECT",                        // 9
        "From:friend@partner.example\tRELAY",                      // 10
        "To:partner.example\tRELAY",                               // 11
        "To:okay.example\tOK",                                     // 12
        "To:nobody2@example.org\tOK",                              // 13
        "To:held@example.org\tQUARANTINE:check this",              // 14
        "To:void@example.org\tDISCARD",                            // 15
        "To:blocked.example\tREJECT",                              // 16
        "CERTISSUER:/CN=Corp+20CA\tRELAY",                         // 17
        "CERTISSUER:/CN=Strict+20CA\tSUBJECT",                     // 18
        "CERTSUBJECT:/CN=laptop\tRELAY",                           // 19
        "CERTISSUER:/CN=Banned+20CA\tREJECT",                      // 20
        "TLS_Clt:192.0.2.50\tVERIFY",                              // 21
        "TLS_Clt:192.0.2.51\tENCR:128",                            // 22
        "TLS_Clt:192.0.2.52\tPERM+VERIFY:256",                     // 23
        "");

    public static readonly AccessMap Map = AccessMapParser.Parse(MapText, MapFile);

    public static readonly RelayPolicyOptions Options = new()
    {
        RelayNetworks = [IPNetwork.Parse("10.1.0.0/16")],
        RelayDomains = ["relay.example"],
    };

    public static RelayPolicy Policy(RestrictionLists? lists = null, AccessMap? map = null) =>
        new(() => new Recipients(), Options with { Restrictions = lists ?? new RestrictionLists() }, () => map ?? Map);

    /// <summary>A session from <paramref name="client"/>; TLS when <paramref name="verify"/> or <paramref name="bits"/> is given.</summary>
    public static SessionFacts Session(string client, VerifyResult? verify = null, string issuer = "/CN=Corp CA", string subject = "/CN=laptop", int? bits = null, string? auth = null)
    {
        TlsFacts? tls = null;
        if (verify is not null || bits is not null)
        {
            var result = verify ?? VerifyResult.Not;
            var facts = result is VerifyResult.Ok or VerifyResult.Fail
                ? new CertificateFacts(subject, issuer, "", "", null, null, new string('a', 64), new string('b', 64), [], [], DateTimeOffset.MinValue, DateTimeOffset.MaxValue, "01")
                : null;
            var peer = new CertificateVerification(result, result == VerifyResult.Fail ? VerifyFailure.Untrusted : VerifyFailure.None, null, facts);
            tls = new TlsFacts("TLSv1.3", "TLS_AES_256_GCM_SHA384", bits ?? 256, peer);
        }
        return new SessionFacts(new IPEndPoint(IPAddress.Parse(client), 40000), new IPEndPoint(IPAddress.Loopback, 25), "mta", ListenerRole.Mta)
        {
            Tls = tls,
            AuthenticatedUser = auth,
        };
    }

    public static Mailbox Address(string text)
    {
        Assert.True(MailboxParser.TryParseMailbox(text, out var mailbox, out var error), error?.ToString());
        return mailbox!;
    }

    /// <summary>"ACCEPT", "DISCARD", "QUARANTINE" or the reply, for table-driven expectations.</summary>
    public static string Outcome(PolicyDecision decision) =>
        decision.Reply?.ToString() ?? decision.Verdict.ToString().ToUpperInvariant();

    /// <summary>example.org: alice, abuse, held and void exist; broken fails to look up.</summary>
    private sealed class Recipients : ILocalRecipients
    {
        private static readonly string[] Users = ["alice", "abuse", "held", "void"];

        public bool IsLocalDomain(string domain) => domain.Equals("example.org", StringComparison.OrdinalIgnoreCase);

        public LocalRecipientStatus Lookup(Mailbox mailbox) =>
            mailbox.LocalPart == "broken" ? LocalRecipientStatus.TemporaryFailure
            : Users.Contains(mailbox.LocalPart, StringComparer.OrdinalIgnoreCase) ? LocalRecipientStatus.Known
            : LocalRecipientStatus.Unknown;
    }
}
