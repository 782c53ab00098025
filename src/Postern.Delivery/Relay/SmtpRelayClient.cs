using System.Globalization;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Postern.Core.Smtp;
using Postern.Core.Tls;
using Postern.Core.TlsReporting;
using Postern.Delivery.Security;
using Postern.Protocol.Client;
using Postern.Protocol.Sasl.Client;

namespace Postern.Delivery.Relay;

/// <summary>
/// One SMTP session with one relay host: connect, greeting, EHLO (HELO when refused), STARTTLS
/// per the host's plan (<see cref="HostSecurity"/>) with a second EHLO, AUTH when there are
/// credentials; then any number of messages (<see cref="SendAsync"/>) and <see cref="QuitAsync"/>.
/// SNI is the host's name. A TLS failure where TLS is required (encrypt, verify, DANE, MTA-STS
/// enforce) defers the host and nothing is sent in clear; under may, a STARTTLS that is offered
/// but fails also defers the host (no clear-text retry in the same attempt), so a man in the
/// middle cannot strip TLS by breaking the handshake. What the session proved is kept for TLS-RPT.
/// </summary>
internal sealed partial class SmtpRelayClient : IAsyncDisposable
{
    private const int MaxAuthSteps = 10;

    private readonly RelayHost _host;
    private readonly HostSecurity _security;
    private readonly IClientTlsContext _tls;
    private readonly RelayClientOptions _options;
    private readonly RelayCredential? _credential;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private RelayConnection? _connection;

    public SmtpRelayClient(
        HostSecurity security,
        IClientTlsContext tls,
        RelayClientOptions options,
        RelayCredential? credential,
        TimeProvider time,
        ILogger logger)
    {
        _host = security.Host;
        _security = security;
        _tls = tls;
        _options = options;
        _credential = credential;
        _time = time;
        _logger = logger;
        Relay = _host.Name;
    }

    /// <summary>"host [address]" once connected, for outcomes and the log.</summary>
    public string Relay { get; private set; }

    public bool IsOpen => _connection is not null;

    public EhloCapabilities Capabilities { get; private set; } = EhloCapabilities.None;

    public TlsFacts? TlsFacts { get; private set; }

    /// <summary>
    /// True once TLS is up and the server was authenticated as the policy demands (verify, DANE,
    /// MTA-STS enforce): what a REQUIRETLS message needs (RFC 8689 4.2.1).
    /// </summary>
    public bool TlsAuthenticated { get; private set; }

    /// <summary>The route's client certificate to present when the server asks; null for <c>tls.client_cert</c>.</summary>
    public CertificateFiles? ClientCertificate { get; init; }

    /// <summary>The AUTH mechanism used, or null.</summary>
    public string? AuthMechanism { get; private set; }

    /// <summary>Why the session's TLS fell short (RFC 8460 result type); null when it met its requirement.</summary>
    public TlsReportResultType? TlsFailure { get; private set; }

    /// <summary>The failure's detail.</summary>
    public string? TlsFailureDetail { get; private set; }

    /// <summary>How the session's TLS ended, for the metrics; null when it never got that far (connect failed, greeting or EHLO refused).</summary>
    public TlsSessionResult? TlsResult { get; private set; }

    /// <summary>This side's address on the connection, once connected.</summary>
    public System.Net.IPAddress? LocalAddress { get; private set; }

    /// <summary>The address connected to, once connected.</summary>
    public System.Net.IPAddress? RemoteAddress { get; private set; }

    private bool RequiresTls => _security.Requirement is not (TlsRequirement.May or TlsRequirement.StsTesting);

    /// <summary>Opens the session; null when ready for mail, else the (transient) reason this host cannot be used now.</summary>
    public async ValueTask<SmtpReply?> ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            _connection = await RelayConnection.ConnectAsync(_host, _options.ConnectTimeout, _time, cancellationToken);
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            _logger.ConnectFailed(_host.Name, e.Message);
            return DeliveryReplies.ConnectFailed(_host.Name, e.Message);
        }
        Relay = string.Create(CultureInfo.InvariantCulture, $"{_host.Name} [{_connection.Address}]");
        RemoteAddress = _connection.Address;
        LocalAddress = _connection.LocalAddress;
        try
        {
            var problem = await OpenSessionAsync(_connection, cancellationToken);
            if (problem is not null)
            {
                await CloseAsync(cancellationToken);
            }
            return problem;
        }
        catch (ServiceClosingException e)
        {
            await AbortAsync();
            _logger.SessionRefused(Relay, e.Reply.ToString());
            return e.Reply;
        }
        catch (AuthenticationException e)
        {
            await AbortAsync();
            _logger.StartTlsFailed(Relay, e.Message);
            NoteTls(TlsReportResultType.ValidationFailure, e.Message, TlsSessionResult.Failed);
            return DeliveryReplies.TlsFailed(Relay, e.Message);
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            await AbortAsync();
            _logger.ConnectionLost(Relay, e.Message);
            return DeliveryReplies.ConnectionLost(Relay, e.Message);
        }
    }

    private async ValueTask<SmtpReply?> OpenSessionAsync(RelayConnection connection, CancellationToken cancellationToken)
    {
        var greeting = await ReadAsync(cancellationToken);
        if (greeting.Code != 220)
        {
            _logger.SessionRefused(Relay, greeting.ToString());
            return greeting;
        }
        if (await HelloAsync(cancellationToken) is { } refused)
        {
            return refused;
        }
        if (Capabilities.StartTls)
        {
            if (await StartTlsAsync(connection, cancellationToken) is { } tlsProblem)
            {
                return tlsProblem;
            }
        }
        else
        {
            NoteTls(TlsReportResultType.StartTlsNotSupported, "STARTTLS not offered", RequiresTls ? TlsSessionResult.Failed : TlsSessionResult.Plaintext);
            if (RequiresTls)
            {
                _logger.StartTlsFailed(Relay, "STARTTLS not offered");
                return DeliveryReplies.TlsNotOffered(Relay);
            }
        }
        return _credential is null || Capabilities.AuthMechanisms.Count == 0
            ? null
            : await AuthenticateAsync(_credential, cancellationToken);
    }

    /// <summary>EHLO, or HELO when EHLO gets a 5xx (RFC 5321 3.2).</summary>
    private async ValueTask<SmtpReply?> HelloAsync(CancellationToken cancellationToken)
    {
        var ehlo = await CommandAsync("EHLO " + _options.HeloName, cancellationToken);
        if (ehlo.Code == 250)
        {
            Capabilities = EhloCapabilities.Parse(ehlo);
            return null;
        }
        if (!ehlo.IsPermanentFailure || TlsFacts is not null)
        {
            // After STARTTLS only EHLO will do: HELO would lose the session's extensions.
            return ehlo;
        }
        var helo = await CommandAsync("HELO " + _options.HeloName, cancellationToken);
        Capabilities = EhloCapabilities.None;
        return helo.Code == 250 ? null : helo;
    }

    private async ValueTask<SmtpReply?> StartTlsAsync(RelayConnection connection, CancellationToken cancellationToken)
    {
        var reply = await CommandAsync("STARTTLS", cancellationToken);
        if (reply.Code != 220)
        {
            _logger.StartTlsFailed(Relay, reply.ToString());
            NoteTls(TlsReportResultType.ValidationFailure, "STARTTLS refused: " + reply, TlsSessionResult.Failed);
            return DeliveryReplies.TlsFailed(Relay, reply.ToString());
        }
        var options = _tls.CreateClientOptions(_host.Name, ClientCertificate);
        try
        {
            await connection.StartTlsAsync(options, _options.CommandTimeout, cancellationToken);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or TimeoutException)
        {
            var reason = e.InnerException?.Message ?? e.Message;
            _logger.StartTlsFailed(Relay, reason);
            NoteTls(TlsReportResultType.ValidationFailure, reason, TlsSessionResult.Failed);
            await AbortAsync();
            return DeliveryReplies.TlsFailed(Relay, reason);
        }
        var stream = connection.Tls!;
        var pkix = connection.ServerCertificate is { } certificate
            ? _tls.VerifyServer(certificate, connection.ServerIntermediates, _host.Name)
            : CertificateVerification.NoneGiven;
        var verdict = ServerCertificateCheck.Check(_security, pkix, connection.ServerCertificate, connection.ServerIntermediates, Relay, _time.GetUtcNow());
        var peer = verdict.Shown;
        TlsFacts = new TlsFacts(
            TlsNames.Version(stream.SslProtocol), stream.NegotiatedCipherSuite.ToString(), TlsNames.Bits(stream.NegotiatedCipherSuite), peer, _host.Name);
        _logger.StartTls(Relay, TlsFacts.Version, peer.Word, _security.DaneWord, _security.StsWord, TlsFacts.Cipher, TlsFacts.Bits);
        NoteTls(
            verdict.Failure,
            verdict.Detail,
            verdict.Refusal is not null ? TlsSessionResult.Failed : verdict.Authenticated ? TlsSessionResult.Authenticated : TlsSessionResult.Encrypted);
        if (!peer.IsOk)
        {
            _logger.ServerCertificateProblem(Relay, peer.Word, peer.Reason ?? peer.Failure.ToString());
        }
        if (verdict.Refusal is { } refusal)
        {
            return refusal;
        }
        TlsAuthenticated = verdict.Authenticated;
        Capabilities = EhloCapabilities.None;
        return await HelloAsync(cancellationToken);
    }

    private void NoteTls(TlsReportResultType? failure, string? detail, TlsSessionResult result)
    {
        TlsResult = result;
        TlsFailure = failure;
        TlsFailureDetail = detail;
    }

    private async ValueTask<SmtpReply?> AuthenticateAsync(RelayCredential credential, CancellationToken cancellationToken)
    {
        var name = SaslClientMechanisms.Choose(Capabilities.AuthMechanisms, credential.Mechanisms, TlsFacts is not null);
        if (name is null)
        {
            _logger.AuthenticationFailed(Relay, credential.UserName, "-", "no usable mechanism offered");
            return DeliveryReplies.NoAuthMechanism(Relay);
        }
        var mechanism = SaslClientMechanisms.Create(name, credential.ToSasl());
        try
        {
            var initial = mechanism.InitialResponse();
            var command = "AUTH " + name + (initial is null ? string.Empty : " " + (initial.Length == 0 ? "=" : Convert.ToBase64String(initial)));
            var reply = await CommandAsync(command, cancellationToken);
            for (var step = 0; reply.Code == 334; step++)
            {
                if (step >= MaxAuthSteps)
                {
                    throw new SaslClientException("too many challenges");
                }
                byte[] challenge;
                try
                {
                    challenge = Convert.FromBase64String(string.Join(string.Empty, reply.Lines).Trim());
                }
                catch (FormatException e)
                {
                    throw new SaslClientException("challenge is not base64", e);
                }
                reply = await CommandAsync(Convert.ToBase64String(mechanism.Respond(challenge)), cancellationToken);
            }
            if (reply.Code != 235)
            {
                _logger.AuthenticationFailed(Relay, credential.UserName, name, reply.ToString());
                return DeliveryReplies.AuthFailed(Relay, reply);
            }
            if (!mechanism.ServerVerified)
            {
                throw new SaslClientException("the server did not prove it knows the password");
            }
        }
        catch (SaslClientException e)
        {
            _logger.AuthenticationFailed(Relay, credential.UserName, name, e.Message);
            return DeliveryReplies.AuthFailed(Relay, e.Message);
        }
        AuthMechanism = name;
        _logger.Authenticated(Relay, credential.UserName, name);
        return null;
    }

    /// <summary>
    /// RSET before another message on a kept session; false, with the session closed, when it is
    /// no longer usable (the server timed it out, hung up or answered other than 250).
    /// </summary>
    public async ValueTask<bool> ResetForReuseAsync(CancellationToken cancellationToken)
    {
        if (_connection is null)
        {
            return false;
        }
        try
        {
            if ((await CommandAsync("RSET", cancellationToken)).Code == 250)
            {
                return true;
            }
            await CloseAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            await AbortAsync();
        }
        return false;
    }

    /// <summary>QUIT and close; errors on the way out do not matter.</summary>
    public async ValueTask QuitAsync(CancellationToken cancellationToken) => await CloseAsync(cancellationToken);

    public async ValueTask DisposeAsync() => await AbortAsync();

    private async ValueTask CloseAsync(CancellationToken cancellationToken = default)
    {
        if (_connection is null)
        {
            return;
        }
        try
        {
            await CommandAsync("QUIT", cancellationToken);
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            // The server may hang up first; the session is over either way.
        }
        await AbortAsync();
    }

    private async ValueTask AbortAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }

    private async ValueTask<SmtpReply> CommandAsync(string line, CancellationToken cancellationToken)
    {
        Connection.Queue(line);
        await Connection.FlushAsync(_options.CommandTimeout, cancellationToken);
        return await ReadAsync(cancellationToken);
    }

    /// <summary>Reads a reply; 421 ends the session (RFC 5321 3.8).</summary>
    private async ValueTask<SmtpReply> ReadAsync(CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var reply = await Connection.ReadAsync(timeout ?? _options.CommandTimeout, cancellationToken);
        return reply.Code == 421 ? throw new ServiceClosingException(reply) : reply;
    }

    private RelayConnection Connection => _connection ?? throw new IOException("not connected");
}
