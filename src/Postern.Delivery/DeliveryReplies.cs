using System.Globalization;
using Postern.Core.Smtp;

namespace Postern.Delivery;

/// <summary>
/// Every reply delivery records itself, local and relay alike (they reach the mail log, the
/// journal and DSNs); replies from a next hop are recorded as they came.
/// </summary>
internal static class DeliveryReplies
{
    // Routing.

    public static SmtpReply RelayingDenied { get; } = new(550, "5.7.1", "Relaying denied");

    // Local delivery.

    public static SmtpReply DeliveredToMaildir { get; } = new(250, "2.0.0", "Delivered to Maildir");

    public static SmtpReply DeliveredToCommand { get; } = new(250, "2.0.0", "Delivered to command");

    public static SmtpReply DeliveredToFile { get; } = new(250, "2.0.0", "Delivered to file");

    public static SmtpReply UserUnknown { get; } = new(550, "5.1.1", "User unknown");

    public static SmtpReply ForwardingDisabled { get; } = new(550, "5.7.1", "Relaying of alias targets is not enabled yet");

    public static SmtpReply PipesDisabled { get; } = new(550, "5.7.1", "Pipe aliases are not enabled");

    public static SmtpReply FilesDisabled { get; } = new(550, "5.7.1", "File aliases are not enabled");

    /// <summary>A table delivery needs (aliases, virtual mailboxes) cannot be read now: the recipient waits for it.</summary>
    public static SmtpReply LookupDeferred(string table) => new(451, "4.3.0", "Temporary lookup failure (" + table + ")");

    public static SmtpReply IoError { get; } = new(451, "4.3.0", "Local delivery deferred: I/O error");

    public static SmtpReply CommandTimedOut { get; } = new(451, "4.3.0", "Command timed out");

    public static SmtpReply ExpansionDeferred(string? problem) => new(451, "4.3.0", problem ?? "Alias expansion failed");

    public static SmtpReply ExpansionFailed(string? problem) => new(550, "5.4.6", problem ?? "Alias expansion failed");

    /// <param name="output">": first line of the command's output", or empty.</param>
    public static SmtpReply CommandDeferred(string output) => new(451, "4.3.0", "Command deferred" + output);

    /// <param name="exitCode">The command's exit status.</param>
    /// <param name="output">": first line of the command's output", or empty.</param>
    public static SmtpReply CommandFailed(int? exitCode, string output) =>
        new(550, "5.3.0", string.Create(CultureInfo.InvariantCulture, $"Command failed with exit status {exitCode}{output}"));

    public static SmtpReply DeliveredToAliasTargets(int count) =>
        new(250, "2.0.0", string.Create(CultureInfo.InvariantCulture, $"Delivered to {count} alias targets"));

    /// <summary>An alias target's reply, prefixed with the target so the sender sees which one.</summary>
    public static SmtpReply ForAliasTarget(string target, SmtpReply reply) =>
        new(reply.Code, reply.Status, target + ": " + string.Join(' ', reply.Lines));

    // Relay.

    public static SmtpReply ConnectFailed(string host, string reason) => new(451, "4.4.1", $"Connection to {host} failed: {reason}");

    public static SmtpReply ConnectionLost(string relay, string reason) => new(451, "4.4.2", $"Connection to {relay} lost: {reason}");

    public static SmtpReply TlsNotOffered(string relay) => new(454, "4.7.4", $"TLS is required, but {relay} does not offer STARTTLS");

    public static SmtpReply TlsFailed(string relay, string reason) => new(454, "4.7.5", $"TLS with {relay} failed: {reason}");

    public static SmtpReply CertificateNotVerified(string relay, string reason) => new(454, "4.7.5", $"Server certificate of {relay} not verified: {reason}");

    public static SmtpReply TlsaLookupFailed(string problem) => new(454, "4.7.5", problem);

    public static SmtpReply DaneRequired(string owner) => new(454, "4.7.5", $"dane-only: no DNSSEC-validated TLSA records at {owner}");

    public static SmtpReply NoUsableTlsa(string owner) => new(454, "4.7.5", $"dane-only: no usable TLSA records at {owner}");

    public static SmtpReply OutsideStsPolicy(string host) => new(454, "4.7.5", $"MTA-STS enforce: {host} not in policy");

    public static SmtpReply DaneNotAuthenticated(string relay, string problem) => new(454, "4.7.5", $"DANE: server certificate of {relay} not authenticated: {problem}");

    public static SmtpReply StsNotVerified(string relay, string reason) => new(454, "4.7.5", $"MTA-STS enforce: server certificate of {relay} not verified: {reason}");

    public static SmtpReply NoAuthMechanism(string relay) => new(454, "4.7.0", $"No usable AUTH mechanism offered by {relay}");

    public static SmtpReply AuthFailed(string relay, SmtpReply reply) => AuthFailed(relay, reply.ToString());

    public static SmtpReply AuthFailed(string relay, string reason) => new(454, "4.7.0", $"Authentication to {relay} failed: {reason}");

    /// <summary>RFC 8689 5: a REQUIRETLS message no next hop could take; final, so the sender learns of it.</summary>
    public static SmtpReply RequireTlsNotOffered(string relay) => new(550, "5.7.30", $"REQUIRETLS support required, but {relay} does not offer REQUIRETLS");

    public static SmtpReply RequireTlsNotAuthenticated(string relay) => new(550, "5.7.30", $"REQUIRETLS support required, but TLS with {relay} is not authenticated (DANE, MTA-STS enforce or verify)");

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

    // LMTP.

    /// <summary>The LMTP server would not start a session: deferred whatever it said, since nothing in it is about a recipient.</summary>
    public static SmtpReply LmtpRefused(string relay, SmtpReply reply) => new(451, "4.4.2", $"LMTP server {relay} refused the session: {reply}");

    public static SmtpReply LmtpBadMailbox(string mailbox) => new(550, "5.1.3", $"Mailbox name cannot be sent over LMTP: {new string(mailbox.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray())}");
}
