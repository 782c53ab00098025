using System.Net.Security;
using System.Security.Authentication;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Protocol.Client;

namespace Postern.Delivery.Lmtp;

/// <summary>
/// One LMTP conversation (RFC 2033) for one message: greeting, LHLO, STARTTLS when offered on TCP,
/// then MAIL, the RCPTs and DATA (in one write when PIPELINING is offered) and, after the body,
/// one reply per accepted recipient, in RCPT order. The replies land in the caller's array as
/// they come, so a connection lost half-way keeps the recipients the server already answered.
/// </summary>
internal sealed class LmtpSession : IAsyncDisposable
{
    private readonly SmtpClientConnection _connection;
    private readonly LmtpEndpoint _endpoint;
    private readonly LmtpOptions _options;

    public LmtpSession(SmtpClientConnection connection, LmtpEndpoint endpoint, LmtpOptions options)
    {
        _connection = connection;
        _endpoint = endpoint;
        _options = options;
    }

    public EhloCapabilities Capabilities { get; private set; } = EhloCapabilities.None;

    public bool Encrypted => _connection.Tls is not null;

    /// <summary>Greeting, LHLO and, when <paramref name="tryTls"/> and offered, STARTTLS and LHLO again; a refusal is returned.</summary>
    /// <exception cref="AuthenticationException">The TLS handshake failed.</exception>
    public async ValueTask<SmtpReply?> OpenAsync(bool tryTls, CancellationToken cancellationToken)
    {
        var greeting = await ReadAsync(_options.CommandTimeout, cancellationToken);
        if (greeting.Code != 220)
        {
            return greeting;
        }
        if (await LhloAsync(cancellationToken) is { } refused)
        {
            return refused;
        }
        if (!tryTls || _endpoint.IsUnixSocket || !Capabilities.StartTls)
        {
            return null;
        }
        var reply = await CommandAsync("STARTTLS", cancellationToken);
        if (reply.Code != 220)
        {
            return reply;
        }
        try
        {
            await _connection.StartTlsAsync(TlsOptions(), _options.CommandTimeout, cancellationToken);
        }
        catch (IOException e)
        {
            // A server that drops the connection in the handshake failed TLS, not the delivery:
            // the caller tries again without it.
            throw new AuthenticationException("TLS handshake failed: " + e.Message, e);
        }
        return await LhloAsync(cancellationToken);
    }

    /// <summary>
    /// Sends the message to <paramref name="sending"/> (positions in <paramref name="deliveries"/>) and
    /// fills their replies into <paramref name="replies"/>.
    /// </summary>
    public async ValueTask TransactAsync(
        QueuedMessage message,
        IReadOnlyList<LmtpDelivery> deliveries,
        IReadOnlyList<int> sending,
        bool utf8,
        bool passDsn,
        SmtpReply?[] replies,
        CancellationToken cancellationToken)
    {
        _connection.Queue(LmtpCommands.Mail(message, Capabilities, utf8, passDsn));
        if (!Capabilities.Pipelining)
        {
            await _connection.FlushAsync(_options.CommandTimeout, cancellationToken);
            var refused = await ReadAsync(_options.CommandTimeout, cancellationToken);
            if (!refused.IsPositive)
            {
                SetAll(replies, sending, refused);
                return;
            }
        }
        var accepted = await RecipientsAsync(deliveries, sending, passDsn, replies, cancellationToken);
        if (accepted is null)
        {
            return;
        }
        var data = Capabilities.Pipelining
            ? await ReadAsync(_options.CommandTimeout, cancellationToken)
            : accepted.Count == 0 ? null : await CommandAsync("DATA", cancellationToken);
        if (accepted.Count == 0 || data is null)
        {
            // RFC 2033 4.2: with no accepted recipient the server must refuse DATA. One that went
            // ahead cannot be ended cleanly (it would owe no replies): drop the connection.
            if (data is { Code: 354 })
            {
                throw new IOException("server accepted DATA without recipients");
            }
            return;
        }
        if (data.Code != 354)
        {
            SetAll(replies, accepted, data.IsPositive ? DeliveryReplies.UnexpectedDataReply(data) : data);
            return;
        }
        await using (var body = message.OpenBody())
        {
            await _connection.WriteDataAsync(body, _options.DataTimeout, cancellationToken);
        }
        foreach (var i in accepted)
        {
            // One reply per accepted recipient, in order: the server delivers each in turn.
            replies[i] = await ReadAsync(_options.DataTimeout, cancellationToken);
        }
    }

    /// <summary>QUIT, best effort: the outcomes are already known.</summary>
    public async ValueTask QuitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CommandAsync("QUIT", cancellationToken);
        }
        catch (Exception e) when (e is IOException or TimeoutException or SmtpProtocolException)
        {
            // The server may close first.
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <summary>The RCPT replies; null when MAIL (pipelined) was refused and every reply is set.</summary>
    private async ValueTask<List<int>?> RecipientsAsync(
        IReadOnlyList<LmtpDelivery> deliveries,
        IReadOnlyList<int> sending,
        bool passDsn,
        SmtpReply?[] replies,
        CancellationToken cancellationToken)
    {
        var rcpt = new SmtpReply[sending.Count];
        SmtpReply? mail = null;
        if (Capabilities.Pipelining)
        {
            foreach (var i in sending)
            {
                _connection.Queue(LmtpCommands.Rcpt(deliveries[i], Capabilities, passDsn));
            }
            _connection.Queue("DATA");
            await _connection.FlushAsync(_options.CommandTimeout, cancellationToken);
            mail = await ReadAsync(_options.CommandTimeout, cancellationToken);
            for (var k = 0; k < sending.Count; k++)
            {
                rcpt[k] = await ReadAsync(_options.CommandTimeout, cancellationToken);
            }
        }
        else
        {
            for (var k = 0; k < sending.Count; k++)
            {
                rcpt[k] = await CommandAsync(LmtpCommands.Rcpt(deliveries[sending[k]], Capabilities, passDsn), cancellationToken);
            }
        }
        var accepted = new List<int>(sending.Count);
        for (var k = 0; k < sending.Count; k++)
        {
            var reply = mail is { IsPositive: false } ? mail : rcpt[k];
            if (reply.IsPositive)
            {
                accepted.Add(sending[k]);
            }
            else
            {
                replies[sending[k]] = reply;
            }
        }
        if (mail is { IsPositive: false })
        {
            // The pipelined DATA's reply is still to come; read it so QUIT's reply is QUIT's.
            await ReadAsync(_options.CommandTimeout, cancellationToken);
            return null;
        }
        return accepted;
    }

    private async ValueTask<SmtpReply?> LhloAsync(CancellationToken cancellationToken)
    {
        var lhlo = await CommandAsync("LHLO " + _options.LhloName, cancellationToken);
        if (lhlo.Code != 250)
        {
            return lhlo;
        }
        Capabilities = EhloCapabilities.Parse(lhlo);
        return null;
    }

    private async ValueTask<SmtpReply> CommandAsync(string line, CancellationToken cancellationToken)
    {
        _connection.Queue(line);
        await _connection.FlushAsync(_options.CommandTimeout, cancellationToken);
        return await ReadAsync(_options.CommandTimeout, cancellationToken);
    }

    private async ValueTask<SmtpReply> ReadAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reply = await _connection.ReadAsync(timeout, cancellationToken);
        // 421: the server is closing the channel (RFC 5321 3.8); what is not answered yet waits for a retry.
        return reply.Code == 421 ? throw new IOException("server closing: " + reply) : reply;
    }

    private SslClientAuthenticationOptions TlsOptions() => new()
    {
        TargetHost = _endpoint.Address is null ? _endpoint.Host : null,
        // Opportunistic, as Postfix's smtp_tls_security_level = may: encryption against a passive
        // listener on the wire between this host and the mailbox server; no certificate to check
        // it against is configured, and a plaintext session is the alternative.
#pragma warning disable CA5359 // opportunistic by design (above): the alternative is plaintext, not a verified peer
        RemoteCertificateValidationCallback = static (_, _, _, _) => true,
#pragma warning restore CA5359
    };

    private static void SetAll(SmtpReply?[] replies, IEnumerable<int> positions, SmtpReply reply)
    {
        foreach (var i in positions)
        {
            replies[i] = reply;
        }
    }
}
