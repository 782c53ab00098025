using Postern.Tools.Check;

namespace Postern.Tests.Tools.Check;

/// <summary>Fixed check results: a clean STARTTLS server, and pieces to spoil it with.</summary>
internal static class CheckSamples
{
    public static readonly DateTimeOffset Now = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    public static ChainCertificate Leaf(int daysLeft = 200, bool selfSigned = false) => new(
        "/CN=mail.example.org",
        selfSigned ? "/CN=mail.example.org" : "/C=US/O=Foo Enterprises/CN=Joe's Certificate Authority",
        Now.AddDays(-10),
        Now.AddDays(daysLeft).AddHours(1),
        daysLeft,
        ["mail.example.org"],
        "ECDSA P-256 (256 bits)",
        selfSigned,
        new string('a', 64));

    private static readonly string[] BaseKeywords = ["PIPELINING", "8BITMIME"];

    public static EhloFacts Ehlo(bool startTls, params string[] auth) => new(
        new ReplyFacts(250, "mail.example.org Hello"),
        [.. BaseKeywords.Concat(startTls ? ["STARTTLS"] : []).Concat(auth.Length > 0 ? ["AUTH " + string.Join(' ', auth)] : [])],
        auth,
        startTls);

    public static TlsFacts Tls(ChainCertificate? leaf = null) => new()
    {
        How = "STARTTLS",
        Protocol = "TLSv1.3",
        Cipher = "TLS_AES_256_GCM_SHA384",
        Bits = 256,
        Chain = [leaf ?? Leaf()],
        Verified = true,
        TrustedBy = "ca.pem",
        NameChecked = "mail.example.org",
        NameMatches = true,
    };

    public static CheckResult Clean(int port = 25) => new()
    {
        Host = "mail.example.org",
        Port = port,
        Mode = CheckMode.StartTls,
        Address = "192.0.2.25",
        Greeting = new GreetingFacts(new ReplyFacts(220, "mail.example.org ESMTP Postern"), 12),
        EhloBeforeTls = Ehlo(startTls: true),
        Tls = Tls(),
        EhloAfterTls = Ehlo(startTls: false, "SCRAM-SHA-256", "PLAIN"),
        WeakProtocols =
        [
            new WeakProtocolResult("TLSv1.0", WeakProtocolOutcome.Refused, "the server sent alert 70 (protocol_version)"),
            new WeakProtocolResult("TLSv1.1", WeakProtocolOutcome.Refused, "the server sent alert 70 (protocol_version)"),
        ],
    };

    public static RelayAttemptResult Relay(int rcptCode, bool authenticated = false, bool certificate = false) => new(
        "probe@example.net",
        "someone@far-away.example",
        authenticated,
        certificate,
        new ReplyFacts(250, "2.1.0 Ok"),
        new ReplyFacts(rcptCode, rcptCode == 250 ? "2.1.5 Ok" : "5.7.1 Relaying denied"));
}
