using Postern.Fuzz.Targets;

namespace Postern.Fuzz;

/// <summary>
/// Every fuzzing target, by name. Adding a target is one line here plus its class in Targets/
/// (and a seed folder fuzz/corpus/NAME, which <c>postern-fuzz seed</c> can create).
/// </summary>
internal static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("command", "SMTP command lines: the verb parser, then MAIL, RCPT and BDAT arguments", CommandTarget.Run),
        new("path", "MAIL FROM and RCPT TO arguments and bare mailboxes (the address parser)", PathTarget.Run),
        new("data", "the DATA reader: dot-unstuffing up to CRLF.CRLF, in pieces of varying size", DataTarget.Run),
        new("bdat", "BDAT commands and the chunk reader with its bare line-ending tracker", BdatTarget.Run),
        new("sasl", "the server side of every SASL mechanism: PLAIN, LOGIN, CRAM-MD5, DIGEST-MD5, SCRAM-SHA-1/256(-PLUS), EXTERNAL", SaslTarget.Run),
        new("access", "the access map (sendmail's access file) and its lookups", AccessMapTarget.Run),
        new("aliases", "the aliases file (aliases(5))", AliasesTarget.Run),
        new("toml", "postern.toml: parsing, binding and validation, and config show's output loading back", TomlTarget.Run),
        new("spool", "a spool file (queue/ID.msg) and a recipient journal (queue/ID.rcpt) as the queue reads them", SpoolTarget.Run),
        new("authres", "SPF and DMARC records as DNS serves them, Authentication-Results fields and DKIM tags: the checks' limits and the header Postern writes", AuthenticationTarget.Run),
        new("milter", "what a milter sends: frames through the bounded reader, replies, the negotiation, reply codes and the modification actions on a draft", MilterTarget.Run),
        new("dsn", "a delivery status notification built from a queued message and a remote server's reply", DsnTarget.Run),
        new("clienthello", "a client's first TLS record as the server reads it before the handshake: versions offered, ECDSA or RSA certificate", ClientHelloTarget.Run),
        new("acme", "what an ACME server sends: directory, account, order, authorization, challenge, problem document and renewal information through the client's parser", AcmeResponseTarget.Run),
        new("dnsanswer", "a DNS server's answer to a dns-01 update: the message reader and the TSIG-verified answer check", DnsAnswerTarget.Run),
        new("proxy", "a PROXY v1 or v2 header (HAProxy send-proxy, send-proxy-v2) as a proxy listener reads it before the greeting: addresses, TLVs, checksum", ProxyTarget.Run),
        new("tsigkey", "acme.dns_tsig_key_file: BIND's key statement and the ALGORITHM:NAME:SECRET line", TsigKeyTarget.Run),
    ];

    /// <summary>The target called <paramref name="name"/>, or null.</summary>
    public static FuzzTarget? Find(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));
}
