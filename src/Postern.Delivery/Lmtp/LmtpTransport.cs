using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Protocol.Client;

namespace Postern.Delivery.Lmtp;

/// <summary>
/// Delivers to an LMTP server (RFC 2033) such as Dovecot's: one connection per call, the whole
/// batch in one transaction, one outcome per recipient from the server's per-recipient replies
/// after DATA (2xx delivered, 4xx deferred, 5xx failed). A server that cannot be reached, a lost
/// connection or a deadline that passes defers every recipient not answered yet. STARTTLS is used
/// on TCP when offered (opportunistic: a failed handshake is retried once in plaintext, as
/// Postfix's "may" level does); never on a Unix socket.
/// </summary>
public sealed partial class LmtpTransport : ITransport, IMailboxTransport
{
    public const string MailerName = "lmtp";

    private readonly LmtpEndpoint _endpoint;
    private readonly LmtpOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LmtpConnector _connector;

    public LmtpTransport(LmtpEndpoint endpoint, LmtpOptions options, TimeProvider time, ILogger<LmtpTransport> logger)
        : this(endpoint, options, time, logger, Dns.GetHostAddressesAsync)
    {
    }

    /// <summary>Test seam: <paramref name="lookup"/> replaces the system's host lookup.</summary>
    internal LmtpTransport(LmtpEndpoint endpoint, LmtpOptions options, TimeProvider time, ILogger logger, Func<string, CancellationToken, Task<IPAddress[]>> lookup)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        _endpoint = endpoint;
        _options = options;
        _time = time;
        _logger = logger;
        _connector = new LmtpConnector(time, lookup);
    }

    public LmtpEndpoint Endpoint => _endpoint;

    /// <summary>Each recipient's own address goes as RCPT TO; DSN requests are passed on when the server offers DSN.</summary>
    public async ValueTask<IReadOnlyList<RecipientOutcome>> DeliverAsync(
        QueuedMessage message,
        IReadOnlyList<DeliveryRecipient> recipients,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        var deliveries = recipients.Select(r => new LmtpDelivery(r.Recipient, r.Address.ToString())).ToList();
        return await DeliverAsync(message, deliveries, passDsn: true, cancellationToken);
    }

    /// <summary>
    /// Delivers to the mailboxes named in <paramref name="deliveries"/>; one outcome per delivery, in
    /// order. With <paramref name="passDsn"/>, NOTIFY, ORCPT, RET and ENVID are passed on when the
    /// server offers DSN (it then reports success itself); without, Postern reports the delivery, as
    /// for local users.
    /// </summary>
    public async ValueTask<IReadOnlyList<RecipientOutcome>> DeliverAsync(
        QueuedMessage message,
        IReadOnlyList<LmtpDelivery> deliveries,
        bool passDsn,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(deliveries);
        var replies = new SmtpReply?[deliveries.Count];
        for (var i = 0; i < deliveries.Count; i++)
        {
            if (!LmtpCommands.IsSendable(deliveries[i].Mailbox))
            {
                replies[i] = DeliveryReplies.LmtpBadMailbox(deliveries[i].Mailbox);
            }
        }
        var capabilities = EhloCapabilities.None;
        if (replies.Any(r => r is null))
        {
            capabilities = await AttemptAsync(message, deliveries, passDsn, replies, tryTls: true, cancellationToken)
                ?? await AttemptAsync(message, deliveries, passDsn, replies, tryTls: false, cancellationToken)
                ?? EhloCapabilities.None;
        }
        var outcomes = new RecipientOutcome[deliveries.Count];
        for (var i = 0; i < outcomes.Length; i++)
        {
            var reply = replies[i] ?? DeliveryReplies.NotConnected;
            var status = reply.IsPositive ? DeliveryStatus.Delivered : reply.IsTransientFailure ? DeliveryStatus.Deferred : DeliveryStatus.Failed;
            outcomes[i] = new RecipientOutcome(deliveries[i].Recipient, status, reply, MailerName, _endpoint.Relay)
            {
                // Delivered by a server that takes no DSN request: Postern says "delivered" itself.
                NextHopLacksDsn = status == DeliveryStatus.Delivered && passDsn && !capabilities.Dsn,
            };
        }
        return outcomes;
    }

    /// <summary>
    /// One connection. Returns the server's capabilities when done (every reply set), or null when
    /// the TLS handshake failed and the caller should try again without TLS.
    /// </summary>
    private async ValueTask<EhloCapabilities?> AttemptAsync(
        QueuedMessage message,
        IReadOnlyList<LmtpDelivery> deliveries,
        bool passDsn,
        SmtpReply?[] replies,
        bool tryTls,
        CancellationToken cancellationToken)
    {
        var relay = _endpoint.Relay;
        NetworkStream stream;
        try
        {
            stream = await _connector.ConnectAsync(_endpoint, _options.ConnectTimeout, cancellationToken);
        }
        catch (Exception e) when (e is SocketException or TimeoutException or IOException)
        {
            LogConnectFailed(_logger, message.Id.Value, relay, e.Message);
            Fill(replies, DeliveryReplies.ConnectFailed(relay, e.Message));
            return EhloCapabilities.None;
        }
        var connection = new SmtpClientConnection(stream, _time, timeout => $"no answer from {relay} within {timeout.TotalSeconds:0.#} s");
        await using var session = new LmtpSession(connection, _endpoint, _options);
        try
        {
            if (await session.OpenAsync(tryTls, cancellationToken) is { } refused)
            {
                // A server that will not talk now (greeting, LHLO or STARTTLS refused) is a local
                // mailbox server misconfigured or starting: nothing it said is about a recipient.
                LogRefused(_logger, message.Id.Value, relay, refused.ToString());
                Fill(replies, DeliveryReplies.LmtpRefused(relay, refused));
                return session.Capabilities;
            }
            SendableRecipients(message, deliveries, session.Capabilities, replies, out var sending, out var utf8);
            if (sending.Count > 0)
            {
                await session.TransactAsync(message, deliveries, sending, utf8, passDsn, replies, cancellationToken);
            }
            await session.QuitAsync(cancellationToken);
            return session.Capabilities;
        }
        catch (AuthenticationException e) when (tryTls)
        {
            LogTlsFailed(_logger, message.Id.Value, relay, e.Message);
            return null;
        }
        catch (Exception e) when (e is IOException or TimeoutException or SmtpProtocolException or AuthenticationException)
        {
            LogConnectionLost(_logger, message.Id.Value, relay, e.Message);
            Fill(replies, DeliveryReplies.ConnectionLost(relay, e.Message));
            return session.Capabilities;
        }
    }

    /// <summary>Which recipients can go on this session: the message's size and SMTPUTF8 needs against what LHLO offered.</summary>
    private static void SendableRecipients(
        QueuedMessage message,
        IReadOnlyList<LmtpDelivery> deliveries,
        EhloCapabilities capabilities,
        SmtpReply?[] replies,
        out List<int> sending,
        out bool utf8)
    {
        sending = [];
        var envelope = message.Envelope;
        var wholeUtf8 = envelope.SmtpUtf8 || envelope.Sender?.NeedsSmtpUtf8 == true;
        utf8 = capabilities.SmtpUtf8 && (wholeUtf8 || deliveries.Any(d => !System.Text.Ascii.IsValid(d.Mailbox)));
        for (var i = 0; i < deliveries.Count; i++)
        {
            if (replies[i] is not null)
            {
                continue;
            }
            if (capabilities.Size && capabilities.MaxSize > 0 && message.BodyLength > capabilities.MaxSize)
            {
                replies[i] = DeliveryReplies.TooBig(MailerName, capabilities.MaxSize);
            }
            else if (!capabilities.SmtpUtf8 && (wholeUtf8 || !System.Text.Ascii.IsValid(deliveries[i].Mailbox)))
            {
                replies[i] = DeliveryReplies.SmtpUtf8NotOffered(MailerName);
            }
            else
            {
                sending.Add(i);
            }
        }
    }

    private static void Fill(SmtpReply?[] replies, SmtpReply reply)
    {
        for (var i = 0; i < replies.Length; i++)
        {
            replies[i] ??= reply;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{QueueId}: LMTP connection to {Relay} failed: {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, string queueId, string relay, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{QueueId}: LMTP server {Relay} refused the session: {Reply}")]
    private static partial void LogRefused(ILogger logger, string queueId, string relay, string reply);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{QueueId}: LMTP connection to {Relay} lost: {Reason}")]
    private static partial void LogConnectionLost(ILogger logger, string queueId, string relay, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{QueueId}: STARTTLS with LMTP server {Relay} failed ({Reason}); trying again without TLS")]
    private static partial void LogTlsFailed(ILogger logger, string queueId, string relay, string reason);
}
