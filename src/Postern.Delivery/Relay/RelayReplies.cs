using Postern.Core.Smtp;

namespace Postern.Delivery.Relay;

/// <summary>The replies the relay client records itself (they reach the mail log and DSNs).</summary>
internal static class RelayReplies
{
    public static SmtpReply ConnectFailed(string host, string reason) => new(451, "4.4.1", $"Connection to {host} failed: {reason}");

    public static SmtpReply ConnectionLost(string relay, string reason) => new(451, "4.4.2", $"Connection to {relay} lost: {reason}");

    public static SmtpReply TlsNotOffered(string relay) => new(454, "4.7.4", $"TLS is required, but {relay} does not offer STARTTLS");

    public static SmtpReply TlsFailed(string relay, string reason) => new(454, "4.7.5", $"TLS with {relay} failed: {reason}");

    public static SmtpReply CertificateNotVerified(string relay, string reason) => new(454, "4.7.5", $"Server certificate of {relay} not verified: {reason}");

    public static SmtpReply NoAuthMechanism(string relay) => new(454, "4.7.0", $"No usable AUTH mechanism offered by {relay}");

    public static SmtpReply AuthFailed(string relay, SmtpReply reply) => new(454, "4.7.0", $"Authentication to {relay} failed: {reply}");

    public static SmtpReply AuthFailed(string relay, string reason) => new(454, "4.7.0", $"Authentication to {relay} failed: {reason}");

    public static SmtpReply SmtpUtf8NotOffered(string relay) => new(553, "5.6.7", $"SMTPUTF8 is required, but {relay} does not offer it");

    public static SmtpReply TooBig(string relay, long limit) => new(552, "5.3.4", $"Message too big for {relay} (limit {limit} bytes)");

    /// <summary>RFC 2852 R mode: the by-time has passed, so the message is returned undelivered.</summary>
    public static SmtpReply DeliverByExpired { get; } = new(554, "5.4.7", "Delivery time expired (BY deadline passed)");

    public static SmtpReply NotConnected { get; } = new(451, "4.4.2", "Not connected");

    public static SmtpReply UnexpectedDataReply(SmtpReply reply) => new(451, "4.5.0", $"Unexpected reply to DATA: {reply}");

    public static SmtpReply DomainUnreachable(string domain, string? problem) => new(550, "5.1.2", $"Host unknown for {domain}: {problem ?? "no mail exchanger"}");

    public static SmtpReply NullMx(string domain) => new(556, "5.1.10", $"{domain} does not accept mail (null MX)");

    public static SmtpReply RoutingDeferred(string domain, string? problem) => new(451, "4.4.3", $"Cannot route mail for {domain} now: {problem ?? "lookup failed"}");

    public static SmtpReply NoHosts(string domain) => new(451, "4.4.3", $"No hosts to try for {domain}");
}
