using System.Net.Sockets;
using System.Security.Authentication;
using Postern.Core.Smtp;
using Postern.Protocol.Client;

namespace Postern.Tools.Check;

/// <summary>
/// The main checking session: greeting, EHLO, STARTTLS (or implicit TLS), EHLO again, the relay
/// attempt without credentials (MAIL, RCPT, RSET: never DATA), AUTH and a relay attempt after it,
/// QUIT; then the weak-version probes on connections of their own. Whatever breaks is recorded,
/// and the report is built from what was seen up to there.
/// </summary>
internal sealed class CheckSession(CheckRequest request, TimeProvider time)
{
    /// <summary>What has been seen so far: kept when the session breaks off half-way.</summary>
    private CheckResult _seen = null!;

    public async Task<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        var mode = request.EffectiveMode;
        var result = new CheckResult { Host = request.Target.Host, Port = request.Target.Port, Mode = mode };
        ProbeConnection connection;
        try
        {
            connection = await ProbeConnection.ConnectAsync(request.Target, request.Timeout, time, cancellationToken);
        }
        catch (Exception e) when (e is IOException or TimeoutException or SocketException)
        {
            return result with { ConnectError = e.Message };
        }
        await using (connection)
        {
            _seen = result with { Address = connection.Address.ToString() };
            try
            {
                result = await ConverseAsync(connection, mode, _seen, cancellationToken);
            }
            catch (Exception e) when (e is IOException or TimeoutException or AuthenticationException)
            {
                result = _seen with { SessionError = e.InnerException?.Message ?? e.Message };
            }
        }
        if (request.ProbeWeakProtocols && mode != CheckMode.Plain && result.Tls is not null)
        {
            result = result with { WeakProtocols = await WeakProtocolProbe.RunAllAsync(request, mode, time, cancellationToken) };
        }
        return result;
    }

    private async Task<CheckResult> ConverseAsync(ProbeConnection connection, CheckMode mode, CheckResult result, CancellationToken cancellationToken)
    {
        var connected = time.GetTimestamp();
        if (mode == CheckMode.Implicit)
        {
            var observer = new TlsObserver(request.NameToCheck, SslProtocols.Tls12 | SslProtocols.Tls13, request.ClientCertificate);
            var tls = await HandshakeAsync(connection, observer, "implicit", cancellationToken);
            result = _seen = result with { Tls = tls };
            if (tls.Error is not null)
            {
                return result;
            }
        }
        var greeting = await connection.ReadAsync(cancellationToken);
        result = _seen = result with { Greeting = new GreetingFacts(ReplyFacts.From(greeting), time.GetElapsedTime(connected).TotalMilliseconds) };
        if (greeting.Code != 220)
        {
            await QuitAsync(connection, cancellationToken);
            return result;
        }
        if (mode == CheckMode.Implicit)
        {
            return await AfterTlsAsync(connection, result, cancellationToken);
        }
        var clear = await EhloAsync(connection, cancellationToken);
        result = _seen = result with { EhloBeforeTls = clear };
        if (!clear.Succeeded || mode == CheckMode.Plain || !clear.StartTls)
        {
            return await TransactionsAsync(connection, result, tls: false, cancellationToken);
        }
        var reply = await connection.CommandAsync("STARTTLS", cancellationToken);
        if (reply.Code != 220)
        {
            result = _seen = result with { Tls = new TlsFacts { How = "STARTTLS", Error = "STARTTLS refused: " + ReplyFacts.From(reply) } };
            return await TransactionsAsync(connection, result, tls: false, cancellationToken);
        }
        var starttls = await HandshakeAsync(connection, new TlsObserver(request.NameToCheck, SslProtocols.Tls12 | SslProtocols.Tls13, request.ClientCertificate), "STARTTLS", cancellationToken);
        result = _seen = result with { Tls = starttls };
        return starttls.Error is null ? await AfterTlsAsync(connection, result, cancellationToken) : result;
    }

    private async Task<TlsFacts> HandshakeAsync(ProbeConnection connection, TlsObserver observer, string how, CancellationToken cancellationToken)
    {
        try
        {
            var tls = await connection.StartTlsAsync(observer.Options, cancellationToken);
            return ChainFacts.Describe(how, tls, observer, request, time.GetUtcNow());
        }
        catch (Exception e) when (e is AuthenticationException or IOException or TimeoutException)
        {
            return new TlsFacts { How = how, Error = e.InnerException?.Message ?? e.Message };
        }
    }

    /// <summary>EHLO over TLS; with our certificate presented, whether it works is whether the server accepted the certificate.</summary>
    private async Task<CheckResult> AfterTlsAsync(ProbeConnection connection, CheckResult result, CancellationToken cancellationToken)
    {
        var presented = result.Tls!.ClientCertificatePresented is not null && result.Tls.ClientCertificateRequested;
        EhloFacts secure;
        try
        {
            secure = await EhloAsync(connection, cancellationToken);
        }
        catch (Exception e) when (presented && e is IOException or AuthenticationException)
        {
            return _seen = result with { Tls = result.Tls with { ClientCertificateAccepted = false }, SessionError = e.InnerException?.Message ?? e.Message };
        }
        var accepted = presented ? secure.Reply.Code != 421 : (bool?)null;
        result = _seen = result with { EhloAfterTls = secure, Tls = result.Tls with { ClientCertificateAccepted = accepted } };
        return secure.Succeeded ? await TransactionsAsync(connection, result, tls: true, cancellationToken) : result;
    }

    /// <summary>The relay attempt without AUTH, AUTH, the relay attempt after AUTH, QUIT.</summary>
    private async Task<CheckResult> TransactionsAsync(ProbeConnection connection, CheckResult result, bool tls, CancellationToken cancellationToken)
    {
        var withCertificate = tls && result.Tls is { ClientCertificateRequested: true, ClientCertificatePresented: not null };
        var relays = new List<RelayAttemptResult>();
        if (request.From is not null && request.Recipient is not null && result.FinalEhlo is { Succeeded: true })
        {
            relays.Add(await RelayAsync(connection, authenticated: false, withCertificate, cancellationToken));
            result = _seen = result with { RelayAttempts = [.. relays] };
        }
        if (request.Credentials is { } credentials && result.FinalEhlo is { Succeeded: true } ehlo)
        {
            var auth = await SaslExchange.RunAsync(connection, ehlo.AuthMechanisms, credentials, tls, cancellationToken);
            result = _seen = result with { Auth = auth };
            if (auth.Succeeded && request.From is not null && request.Recipient is not null)
            {
                relays.Add(await RelayAsync(connection, authenticated: true, withCertificate, cancellationToken));
                result = _seen = result with { RelayAttempts = [.. relays] };
            }
        }
        await QuitAsync(connection, cancellationToken);
        return result;
    }

    private async Task<RelayAttemptResult> RelayAsync(ProbeConnection connection, bool authenticated, bool withCertificate, CancellationToken cancellationToken)
    {
        var from = request.From!;
        var mail = ReplyFacts.From(await connection.CommandAsync($"MAIL FROM:<{from}>", cancellationToken));
        ReplyFacts? rcpt = null;
        if (mail.IsPositive)
        {
            rcpt = ReplyFacts.From(await connection.CommandAsync($"RCPT TO:<{request.Recipient}>", cancellationToken));
        }
        // RSET before any DATA: the transaction ends here and no mail is sent.
        await connection.CommandAsync("RSET", cancellationToken);
        return new RelayAttemptResult(from, request.Recipient!, authenticated, withCertificate, mail, rcpt);
    }

    private async Task<EhloFacts> EhloAsync(ProbeConnection connection, CancellationToken cancellationToken)
    {
        var reply = await connection.CommandAsync("EHLO " + request.HeloName, cancellationToken);
        return Ehlo(reply);
    }

    internal static EhloFacts Ehlo(SmtpReply reply)
    {
        if (reply.Code != 250)
        {
            return new EhloFacts(ReplyFacts.From(reply), [], [], false);
        }
        var capabilities = EhloCapabilities.Parse(reply);
        // A server may end its reply with an empty "250 " line: no keyword, so no empty list entry.
        var keywords = reply.Lines.Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0);
        return new EhloFacts(ReplyFacts.From(SmtpReply.WithoutStatus(reply.Code, reply.Lines[0])), [.. keywords],
            [.. capabilities.AuthMechanisms.Order(StringComparer.Ordinal)], capabilities.StartTls);
    }

    private static async Task QuitAsync(ProbeConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.CommandAsync("QUIT", cancellationToken);
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            // The server may hang up first; the check is over either way.
        }
    }
}
