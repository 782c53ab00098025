using System.Security.Authentication;
using Postern.Core.Smtp;
using Postern.Core.Tls;
using Postern.Protocol.Commands;
using Postern.Server.Logging;

namespace Postern.Server.Session;

internal sealed partial class SmtpSession
{
    /// <summary>RFC 3207 STARTTLS: 220, then the handshake, then a fresh session that needs EHLO again.</summary>
    internal async ValueTask<SmtpReply?> StartTlsAsync(SmtpCommand command, CancellationToken cancellationToken)
    {
        if (command.Argument.Length > 0)
        {
            return Replies.NoArguments;
        }
        if (_state.Facts.IsTls)
        {
            return Replies.AlreadyTls;
        }
        if (_listener.Tls != ListenerTlsMode.StartTls)
        {
            return Replies.TlsNotOffered;
        }
        if (_services.Tls is null)
        {
            return Replies.TlsUnavailable;
        }
        _connection.Queue(Replies.ReadyToStartTls);
        await HandshakeAsync(cancellationToken);
        // Everything said before TLS is forgotten: HELO/EHLO, the transaction, any AUTH.
        await ResetTransactionAsync();
        _state.PlaintextForgotten();
        if (_listener.ClientCertificates == ClientCertificateMode.Require && !_state.Facts.Tls!.Peer.IsOk)
        {
            _state.Close();
            return CertificateRefused();
        }
        return null;
    }

    /// <summary>For implicit-TLS listeners (SMTPS), the handshake comes before the greeting.</summary>
    private async ValueTask<bool> ImplicitTlsAsync(CancellationToken cancellationToken)
    {
        if (_listener.Tls != ListenerTlsMode.Implicit)
        {
            return true;
        }
        if (_services.Tls is null)
        {
            throw new TlsHandshakeException("implicit TLS listener without TLS certificates");
        }
        await HandshakeAsync(cancellationToken);
        if (_listener.ClientCertificates == ClientCertificateMode.Require && !_state.Facts.Tls!.Peer.IsOk)
        {
            await _connection.SendAsync(CertificateRefused(), cancellationToken);
            return false;
        }
        return true;
    }

    /// <summary><c>client_cert = "require"</c> and the certificate did not verify (or none came): logged, then 421.</summary>
    private SmtpReply CertificateRefused()
    {
        var peer = _state.Facts.Tls!.Peer;
        var subject = peer.Certificate is { } certificate ? "cert-subject=" + certificate.Subject + ", " : "";
        Log.CertificateRefused(_relay, _listener.Name, Replies.CertificateRequired, peer.Word, subject + "verifymsg=" + (peer.Reason ?? "no certificate"));
        return Replies.CertificateRequired;
    }

    private async ValueTask HandshakeAsync(CancellationToken cancellationToken)
    {
        var tls = _services.Tls!;
        var mode = _listener.ClientCertificates;
        using var deadline = new CancellationTokenSource(Options.TlsHandshakeTimeout, _services.Clock);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var discarded = await _connection.StartTlsAsync((serverName, hello) => tls.CreateServerOptions(serverName, hello, mode), timeout.Token);
            if (discarded > 0)
            {
                Log.PlaintextDiscarded(_relay, discarded);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            _services.Metrics?.TlsHandshakeFailed(_listener.Name);
            throw new TlsHandshakeException("handshake timed out");
        }
        // NotSupportedException: .NET's answer when the first record is not a ClientHello (an alert
        // from a client that refuses our protocol versions): a failed handshake, not a server fault.
        catch (Exception e) when (e is AuthenticationException or IOException or NotSupportedException)
        {
            _services.Metrics?.TlsHandshakeFailed(_listener.Name);
            throw new TlsHandshakeException(e.InnerException?.Message ?? e.Message, e);
        }
        var stream = _connection.Tls!;
        var peer = mode == ClientCertificateMode.None ? CertificateVerification.NotAsked
            : _connection.ClientCertificate is { } certificate ? tls.VerifyClient(certificate, _connection.ClientIntermediates)
            : CertificateVerification.NoneGiven;
        var facts = new TlsFacts(
            TlsNames.Version(stream.SslProtocol),
            stream.NegotiatedCipherSuite.ToString(),
            TlsNames.Bits(stream.NegotiatedCipherSuite),
            peer,
            stream.TargetHostName.Length == 0 ? null : stream.TargetHostName);
        _state.TlsStarted(facts);
        LogTls(facts);
        _services.Metrics?.TlsHandshake(_listener.Name, facts.Version, peer.Result);
    }

    private void LogTls(TlsFacts facts)
    {
        var relay = (_state.Facts.HeloName is null ? "" : _state.Facts.HeloName + " ") + _relay;
        if (facts.Peer.Certificate is { } certificate)
        {
            Log.StartTlsWithCertificate(
                relay, facts.Version, facts.Peer.Word, facts.Cipher, facts.Bits, certificate.Subject, certificate.Issuer, facts.Peer.Reason ?? "ok");
        }
        else
        {
            Log.StartTls(relay, facts.Version, facts.Peer.Word, facts.Cipher, facts.Bits);
        }
    }
}
