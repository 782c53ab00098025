using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Postern.Core.Tls;

namespace Postern.Server.Telemetry;

/// <summary>
/// The SMTP server's instruments on the process's <c>Postern</c> meter: connections, TLS
/// handshakes, AUTH outcomes, rejections and messages. Every label value comes from a bounded
/// set (listener names, mechanism names, fixed words, restriction names) so the series count
/// stays small whatever clients send. An instrument nobody listens to costs one branch.
/// </summary>
public sealed class ServerMetrics
{
    /// <summary>At most this many distinct rejection rules get their own series; the rest are "other".</summary>
    internal const int MaxRules = 64;

    internal const string OtherRule = "other";

    private readonly Counter<long> _connections;
    private readonly UpDownCounter<long> _activeConnections;
    private readonly Counter<long> _tlsHandshakes;
    private readonly Counter<long> _auth;
    private readonly Counter<long> _rejections;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _receivedBytes;
    private readonly ConcurrentDictionary<string, string> _rules = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _ruleLookup;

    public ServerMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _connections = meter.CreateCounter<long>(
            "postern.smtp.connections", "{connection}", "SMTP connections accepted or refused by the connection limits, by listener");
        _activeConnections = meter.CreateUpDownCounter<long>(
            "postern.smtp.connections.active", "{connection}", "SMTP connections open now, by listener");
        _tlsHandshakes = meter.CreateCounter<long>(
            "postern.smtp.tls.handshakes", "{handshake}", "Server TLS handshakes (STARTTLS and implicit TLS) by protocol version and client certificate verification");
        _auth = meter.CreateCounter<long>(
            "postern.smtp.auth", "{attempt}", "SMTP AUTH exchanges by mechanism and result");
        _rejections = meter.CreateCounter<long>(
            "postern.smtp.rejections", "{rejection}", "Commands and messages refused by policy or limits, by stage and rule");
        _messages = meter.CreateCounter<long>(
            "postern.smtp.messages", "{message}", "Messages received to the end of data and answered 250, by listener and result");
        _receivedBytes = meter.CreateCounter<long>(
            "postern.smtp.received", "By", "Message bytes received in DATA and BDAT, by listener");
        _ruleLookup = _rules.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    internal void ConnectionAccepted(string listener)
    {
        _connections.Add(1, new("listener", listener), new("result", "accepted"));
        _activeConnections.Add(1, new KeyValuePair<string, object?>("listener", listener));
    }

    internal void ConnectionClosed(string listener) =>
        _activeConnections.Add(-1, new KeyValuePair<string, object?>("listener", listener));

    internal void ConnectionRefused(string listener) =>
        _connections.Add(1, new("listener", listener), new("result", "refused"));

    internal void TlsHandshake(string listener, string version, VerifyResult verify) =>
        _tlsHandshakes.Add(1, new("listener", listener), new("result", "ok"), new("version", version), new("verify", VerifyWord(verify)));

    internal void TlsHandshakeFailed(string listener) =>
        _tlsHandshakes.Add(1, new("listener", listener), new("result", "failed"), new("version", "none"), new("verify", "NONE"));

    /// <summary><paramref name="mechanism"/> is the server's own mechanism name, never the client's word.</summary>
    internal void Auth(string mechanism, string result) =>
        _auth.Add(1, new("mechanism", mechanism), new("result", result));

    /// <summary>
    /// A refusal at <paramref name="stage"/> (check_relay, check_helo, check_mail, check_rcpt,
    /// check_data). The rule is the leading word of the policy reason
    /// (<c>reject_unauth_destination: ...</c>), so map entries and addresses never become labels.
    /// </summary>
    internal void Rejected(string stage, string reason) =>
        _rejections.Add(1, new("stage", stage), new("rule", Rule(reason)));

    /// <summary>A refusal by a fixed, named check rather than a policy reason.</summary>
    internal void RejectedBy(string stage, string rule) =>
        _rejections.Add(1, new("stage", stage), new("rule", rule));

    internal void MessageReceived(string listener, long bytes) =>
        _receivedBytes.Add(bytes, new KeyValuePair<string, object?>("listener", listener));

    /// <summary><paramref name="result"/>: accepted (queued), quarantined (queued on hold) or discarded.</summary>
    internal void Message(string listener, string result) =>
        _messages.Add(1, new("listener", listener), new("result", result));

    /// <summary>The rule word of a policy reason, interned; "other" when it is not one or the table is full.</summary>
    internal string Rule(string reason)
    {
        var colon = reason.IndexOf(':', StringComparison.Ordinal);
        var word = colon > 0 ? reason.AsSpan(0, colon) : reason.AsSpan();
        if (!IsRuleWord(word))
        {
            return OtherRule;
        }
        if (_ruleLookup.TryGetValue(word, out var known))
        {
            return known;
        }
        if (_rules.Count >= MaxRules)
        {
            return OtherRule;
        }
        var text = word.ToString();
        return _rules.GetOrAdd(text, text);
    }

    private static bool IsRuleWord(ReadOnlySpan<char> word)
    {
        if (word.Length is 0 or > 48)
        {
            return false;
        }
        foreach (var c in word)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            {
                return false;
            }
        }
        return true;
    }

    private static string VerifyWord(VerifyResult verify) => verify switch
    {
        VerifyResult.Ok => "OK",
        VerifyResult.Fail => "FAIL",
        VerifyResult.No => "NO",
        VerifyResult.Not => "NOT",
        _ => "NONE",
    };
}
