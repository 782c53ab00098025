using System.Net;
using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Policy;
using Postern.Core.Tls;
using Postern.Policy;
using Postern.Policy.Access;

namespace Postern.Tests.Policy.Golden;

/// <summary>
/// Runs one row of relay-decisions.cases: builds the real <see cref="RelayPolicy"/> the row describes
/// and asks it about one recipient, as the session does at RCPT (the columns are listed in the file).
/// </summary>
internal static class RelayDecisionDriver
{
    private const string Subject = "/C=US/ST=Washington/O=Foo Enterprises/CN=Joe User";

    public static async Task<PolicyDecision> DecideAsync(GoldenCase row)
    {
        var (policy, session, recipient) = Build(row);
        return await policy.CheckRecipientAsync(session, null, recipient, CancellationToken.None);
    }

    /// <summary>The policy, session and recipient the row describes.</summary>
    public static (RelayPolicy Policy, SessionFacts Session, Mailbox Recipient) Build(GoldenCase row)
    {
        var options = new RelayPolicyOptions
        {
            RelayNetworks = [.. row.List(1).Select(IPNetwork.Parse)],
            RelayDomains = [.. row.List(2)],
        };
        var status = row.Columns[6] switch
        {
            "known" => LocalRecipientStatus.Known,
            "unknown" => LocalRecipientStatus.Unknown,
            "tempfail" => LocalRecipientStatus.TemporaryFailure,
            var other => throw new FormatException("unknown local-status " + other),
        };
        ILocalRecipients local = new LocalDomain("example.org", status);
        var policy = AccessMap(row.Columns[3]) is { } map
            ? new RelayPolicy(() => local, options, () => map)
            : new RelayPolicy(() => local, options);
        var session = new SessionFacts(new IPEndPoint(IPAddress.Parse(row.Columns[0]), 40000), new IPEndPoint(IPAddress.Loopback, 25), "mta", ListenerRole.Mta)
        {
            Tls = Tls(row.Columns[4], row.Columns[5]),
        };
        var recipient = row.Columns[7];
        var at = recipient.LastIndexOf('@');
        return (policy, session, new Mailbox(recipient[..at], recipient[(at + 1)..]));
    }

    /// <summary>"-": none; "empty": an empty map; else a map file beside the cases, read under the name "access".</summary>
    private static AccessMap? AccessMap(string column) => column switch
    {
        "-" => null,
        "empty" => Postern.Policy.Access.AccessMap.Empty,
        var file => AccessMapParser.Parse(File.ReadAllText(Path.Combine(GoldenCase.Folder, file)), "access"),
    };

    private static TlsFacts? Tls(string verifyColumn, string issuer)
    {
        if (verifyColumn == "-")
        {
            return null;
        }
        var verify = Enum.Parse<VerifyResult>(verifyColumn);
        var facts = new CertificateFacts(Subject, issuer, "", "", "Joe User", null, "00", "00", [], [], DateTimeOffset.MinValue, DateTimeOffset.MaxValue, "01");
        var peer = new CertificateVerification(verify, verify == VerifyResult.Ok ? VerifyFailure.None : VerifyFailure.Untrusted, null, facts);
        return new TlsFacts("TLSv1.3", "TLS_AES_256_GCM_SHA384", 256, peer);
    }
}
