using System.Security.Authentication;

namespace Postern.Tools.Check;

/// <summary>
/// Tries a TLS 1.0 and a TLS 1.1 handshake, each on a connection of its own, offering only that
/// version. Modern OpenSSL builds refuse to make such a hello at all; the recorded bytes tell
/// that apart from a server refusal: nothing sent means "not tested", a ServerHello with the old
/// version means the server accepted it even if our side then gave up, an alert or a hang-up means
/// it refused.
/// </summary>
internal static class WeakProtocolProbe
{
#pragma warning disable SYSLIB0039, CA5397 // Deliberately the deprecated versions: the probe asks whether the server still accepts them.
    private static readonly (SslProtocols Protocol, string Name)[] Versions = [(SslProtocols.Tls, "TLSv1.0"), (SslProtocols.Tls11, "TLSv1.1")];
#pragma warning restore SYSLIB0039, CA5397

    private const int HandshakeRecord = 0x16;

    public static async Task<IReadOnlyList<WeakProtocolResult>> RunAllAsync(CheckRequest request, CheckMode mode, TimeProvider time, CancellationToken cancellationToken)
    {
        var results = new List<WeakProtocolResult>();
        foreach (var (protocol, name) in Versions)
        {
            results.Add(await RunAsync(request, mode, protocol, name, time, cancellationToken));
        }
        return results;
    }

    private static async Task<WeakProtocolResult> RunAsync(CheckRequest request, CheckMode mode, SslProtocols protocol, string name, TimeProvider time, CancellationToken cancellationToken)
    {
        ProbeConnection connection;
        try
        {
            connection = await ProbeConnection.ConnectAsync(request.Target, request.Timeout, time, cancellationToken);
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            return new WeakProtocolResult(name, WeakProtocolOutcome.NotTested, "cannot connect: " + e.Message);
        }
        await using (connection)
        {
            try
            {
                if (mode != CheckMode.Implicit && await PrepareStartTlsAsync(connection, request, cancellationToken) is { } why)
                {
                    return new WeakProtocolResult(name, WeakProtocolOutcome.NotTested, why);
                }
            }
            catch (Exception e) when (e is IOException or TimeoutException)
            {
                return new WeakProtocolResult(name, WeakProtocolOutcome.NotTested, "the SMTP dialog before STARTTLS failed: " + e.Message);
            }
            var observer = new TlsObserver(request.NameToCheck, protocol, ours: null);
            try
            {
                var tls = await connection.StartTlsAsync(observer.Options, cancellationToken);
                var detail = "the server completed a " + Core.Tls.TlsNames.Version(tls.SslProtocol) + " handshake with " + tls.NegotiatedCipherSuite;
                return new WeakProtocolResult(name, tls.SslProtocol == protocol ? WeakProtocolOutcome.Accepted : WeakProtocolOutcome.Refused, detail);
            }
            catch (Exception e) when (e is AuthenticationException or IOException or TimeoutException)
            {
                return Classify(name, connection.Raw, e.InnerException?.Message ?? e.Message);
            }
        }
    }

    /// <summary>Greeting, EHLO, STARTTLS; null when ready for the handshake, else why not.</summary>
    private static async Task<string?> PrepareStartTlsAsync(ProbeConnection connection, CheckRequest request, CancellationToken cancellationToken)
    {
        var greeting = await connection.ReadAsync(cancellationToken);
        if (greeting.Code != 220)
        {
            return "the server refused the session: " + ReplyFacts.From(greeting);
        }
        var ehlo = CheckSession.Ehlo(await connection.CommandAsync("EHLO " + request.HeloName, cancellationToken));
        if (!ehlo.StartTls)
        {
            return "STARTTLS not offered";
        }
        var reply = await connection.CommandAsync("STARTTLS", cancellationToken);
        return reply.Code == 220 ? null : "STARTTLS refused: " + ReplyFacts.From(reply);
    }

    /// <summary>Decides from the bytes on the wire, not from the local library's error text.</summary>
    internal static WeakProtocolResult Classify(string name, RecordingStream raw, string error)
    {
        // A hello is a handshake record; a library that cannot make one sends nothing or only an alert.
        if (raw.FirstWrittenByte != HandshakeRecord)
        {
            return new WeakProtocolResult(name, WeakProtocolOutcome.NotTested, "client side disabled: the local TLS library would not send a " + name + " hello (" + error + ")");
        }
        var answer = raw.FirstRead;
        if (ServerHelloInspector.ServerHelloVersion(answer) is { } version)
        {
            var chosen = ServerHelloInspector.VersionName(version);
            return chosen == name
                ? new WeakProtocolResult(name, WeakProtocolOutcome.Accepted, $"the server answered with a {chosen} ServerHello (our side then stopped: {error})")
                : new WeakProtocolResult(name, WeakProtocolOutcome.Refused, $"the server answered {chosen} ({error})");
        }
        if (ServerHelloInspector.Alert(answer) is { } alert)
        {
            return new WeakProtocolResult(name, WeakProtocolOutcome.Refused, "the server sent " + alert);
        }
        return answer.IsEmpty
            ? new WeakProtocolResult(name, WeakProtocolOutcome.Refused, "the server closed the connection on our hello")
            : new WeakProtocolResult(name, WeakProtocolOutcome.Refused, error);
    }
}
