using System.Text;
using Microsoft.Extensions.Logging;
using Postern.Core.Smtp;
using Postern.Protocol.Commands;
using Postern.Protocol.Sasl.Server;
using Postern.Server.Auth;
using Postern.Server.Connections;
using Postern.Server.Logging;
using Postern.Server.Options;

namespace Postern.Server.Session;

internal sealed partial class SmtpSession
{
    /// <summary>RFC 4954 section 4: servers should take SASL response lines of up to 12288 octets.</summary>
    public const int MaxSaslLineLength = 12288;

    private const string Anonymous = "ANONYMOUS";

    /// <summary>The AUTH back end when this listener offers AUTH, else null.</summary>
    private AuthServices? AuthBackend => _listener.Auth == ListenerAuthMode.Off ? null : _services.Auth;

    private AuthOptions AuthSettings => Options.Auth;

    /// <summary>RFC 4954 AUTH: <c>AUTH mechanism [initial-response]</c>, then 334 challenges until 235 or an error.</summary>
    internal async ValueTask<SmtpReply?> AuthAsync(SmtpCommand command, CancellationToken cancellationToken)
    {
        if (AuthBackend is not { } auth)
        {
            return Replies.AuthNotOffered;
        }
        var refusal = _state.Phase switch
        {
            SessionPhase.Connected => Replies.NeedHelo,
            _ when !_state.Extended => Replies.AuthNeedsEhlo,
            _ when _state.Authentication is not null => Replies.AlreadyAuthenticated,
            SessionPhase.Greeted => null,
            _ => Replies.AuthInTransaction,
        };
        if (refusal is not null)
        {
            return refusal;
        }
        if (auth.Limiter.BlockedUntil(_state.Facts.Remote.Address) is { } until)
        {
            Log.AuthBlocked(LogRelay, until);
            _services.Metrics?.Auth("none", "blocked");
            _state.Close();
            return Replies.TooManyAuthFailures;
        }
        var arguments = command.Argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (arguments.Length is 0 or > 2)
        {
            return Replies.AuthSyntax;
        }
        var context = await SaslContextAsync(auth, cancellationToken);
        var factory = OfferedFactory(auth, arguments[0], context, out var plaintextRefused);
        if (plaintextRefused)
        {
            if (Log.IsEnabled(LogLevel.Warning))
            {
                Log.AuthFailed(Printable(arguments[0].ToUpperInvariant()), "EncryptionRequired", "a plaintext mechanism before TLS", "", LogRelay);
            }
            return Replies.EncryptionRequired;
        }
        if (factory is null)
        {
            return Replies.UnknownMechanism;
        }
        ReadOnlyMemory<byte>? initial = null;
        if (arguments.Length == 2)
        {
            if (arguments[1] == "=")
            {
                initial = ReadOnlyMemory<byte>.Empty;
            }
            else if (SaslBase64.TryDecode(Encoding.ASCII.GetBytes(arguments[1]), out var decoded))
            {
                initial = decoded;
            }
            else
            {
                return Replies.AuthMalformed;
            }
        }
        return await ExchangeAsync(auth, factory, context, initial, cancellationToken);
    }

    private async ValueTask<SmtpReply> ExchangeAsync(
        AuthServices auth, ISaslServerMechanismFactory factory, SaslServerContext context, ReadOnlyMemory<byte>? initial, CancellationToken cancellationToken)
    {
        var users = new ExchangeUserDirectory(auth.Users, auth.Limiter);
        var mechanism = factory.Create(context with { Users = users });
        var lastResponse = _services.Clock.GetTimestamp();
        var step = await mechanism.StepAsync(initial, cancellationToken);
        while (step.Kind == SaslStepKind.Challenge)
        {
            var (response, reply) = await ReadResponseAsync(step.Challenge, cancellationToken);
            if (reply is not null)
            {
                _services.Metrics?.Auth(factory.Name, "aborted");
                return reply;
            }
            lastResponse = _services.Clock.GetTimestamp();
            step = await mechanism.StepAsync(response, cancellationToken);
        }
        if (step.Kind == SaslStepKind.Failure)
        {
            return await FailAsync(auth, factory.Name, step.Failure!, users.UserName, lastResponse, cancellationToken);
        }
        if (!step.Challenge.IsEmpty)
        {
            // SCRAM's server-final-message: a 334 the client acknowledges with an empty line.
            var (response, reply) = await ReadResponseAsync(step.Challenge, cancellationToken);
            if (reply is not null || response.Length != 0)
            {
                _services.Metrics?.Auth(factory.Name, "aborted");
                return reply ?? Replies.AuthMalformed;
            }
        }
        return Succeed(factory.Name, step.Identity!);
    }

    /// <summary>Sends a 334 challenge and reads the answer: the decoded bytes, or the reply that ends the exchange.</summary>
    private async ValueTask<(byte[] Response, SmtpReply? Reply)> ReadResponseAsync(ReadOnlyMemory<byte> challenge, CancellationToken cancellationToken)
    {
        _connection.Queue(Replies.SaslChallenge(SaslBase64.Encode(challenge.Span)));
        _deadline.StartCommand();
        var line = await _connection.ReadLineAsync(MaxSaslLineLength, cancellationToken);
        return line.Status switch
        {
            LineStatus.EndOfStream => throw new IOException("connection closed during AUTH"),
            LineStatus.TooLong => ([], Replies.AuthLineTooLong),
            _ when line.Bytes is [(byte)'*'] => ([], Replies.AuthCancelled),
            _ when SaslBase64.TryDecode(line.Bytes, out var decoded) => (decoded, null),
            _ => ([], Replies.AuthMalformed),
        };
    }

    private SmtpReply Succeed(string mechanism, SaslIdentity identity)
    {
        var trusted = !mechanism.Equals(Anonymous, StringComparison.OrdinalIgnoreCase)
            && AuthSettings.TrustedMechanisms.Contains(mechanism, StringComparer.OrdinalIgnoreCase);
        _state.Authenticated(new SessionAuthentication(identity, mechanism, trusted));
        _services.Metrics?.Auth(mechanism, trusted ? "success" : "success_untrusted");
        if (Log.IsEnabled(LogLevel.Information))
        {
            var details = (identity.AuthorizationId == identity.AuthenticationId ? "" : ", authzid=" + Printable(identity.AuthorizationId))
                + (trusted ? "" : ", trusted=no");
            Log.Authenticated(LogRelay, Printable(identity.AuthenticationId), mechanism, details);
        }
        return Replies.AuthSucceeded;
    }

    /// <summary>
    /// A failed exchange. Wrong credentials are answered a fixed time after the client's last
    /// response, however long the mechanism took, so the reply time does not tell an unknown user
    /// from a wrong password; they count towards the client's and the user's failure limits.
    /// </summary>
    private async ValueTask<SmtpReply> FailAsync(
        AuthServices auth, string mechanism, SaslFailure failure, string? user, long lastResponse, CancellationToken cancellationToken)
    {
        Log.AuthFailed(mechanism, failure.Reason.ToString(), Printable(failure.Detail), user is null ? "" : ", user=" + Printable(user), LogRelay);
        switch (failure.Reason)
        {
            case SaslFailureReason.TemporaryFailure:
                _services.Metrics?.Auth(mechanism, "temporary_failure");
                return Replies.AuthTemporaryFailure;
            case SaslFailureReason.Malformed:
                _services.Metrics?.Auth(mechanism, "aborted");
                return Replies.AuthMalformed;
        }
        _services.Metrics?.Auth(mechanism, "failure");
        var wait = AuthSettings.FailureDelay - _services.Clock.GetElapsedTime(lastResponse);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _services.Clock, cancellationToken);
        }
        var over = auth.Limiter.RecordFailure(_state.Facts.Remote.Address, user);
        if (over == AuthLimitScope.None)
        {
            return Replies.InvalidCredentials;
        }
        Log.AuthLimitReached(LogRelay, over == AuthLimitScope.Client ? "client" : "user=" + Printable(user ?? ""), AuthSettings.MaxFailures, AuthSettings.FailureWindow);
        _state.Close();
        return Replies.TooManyAuthFailures;
    }

    /// <summary>The factory for a mechanism this session offers, or null; flags PLAIN/LOGIN refused for want of TLS.</summary>
    private ISaslServerMechanismFactory? OfferedFactory(AuthServices auth, string name, SaslServerContext context, out bool plaintextRefused)
    {
        plaintextRefused = false;
        if (!AuthSettings.Mechanisms.Contains(name, StringComparer.OrdinalIgnoreCase) || auth.Find(name) is not { } factory)
        {
            return null;
        }
        if (factory.IsPlaintext && AuthSettings.PlaintextRequiresTls && !context.IsTls)
        {
            plaintextRefused = true;
            return null;
        }
        var plus = factory.Name.EndsWith("-PLUS", StringComparison.OrdinalIgnoreCase);
        if ((plus && context.TlsExporter is null && context.TlsServerEndPoint is null)
            || (factory.Name.Equals(Anonymous, StringComparison.OrdinalIgnoreCase) && !AuthSettings.AllowAnonymous)
            || !factory.IsAvailable(context))
        {
            return null;
        }
        return factory;
    }

    /// <summary>The EHLO keyword: <c>AUTH</c> and the mechanisms available in this session, in configured order.</summary>
    private async ValueTask<string?> AuthKeywordAsync(CancellationToken cancellationToken)
    {
        if (AuthBackend is not { } auth)
        {
            return null;
        }
        var names = (await SaslContextAsync(auth, cancellationToken)).OfferedMechanisms!;
        return names.Count == 0 ? null : "AUTH " + string.Join(' ', names).ToUpperInvariant();
    }

    private async ValueTask<SaslServerContext> SaslContextAsync(AuthServices auth, CancellationToken cancellationToken)
    {
        var bindings = _state.Facts.IsTls ? _connection.ChannelBindings : null;
        var context = new SaslServerContext(auth.Users, Options.HostName)
        {
            IsTls = _state.Facts.IsTls,
            ServerAddresses = [LocalAddressLiteral()],
            TlsExporter = bindings?.TlsExporter,
            TlsServerEndPoint = bindings?.TlsServerEndPoint,
            ExternalIdentity = await ExternalIdentityAsync(auth, cancellationToken),
        };
        // SCRAM needs what EHLO offered: a client flag "y" (server lacks -PLUS) is a downgrade when -PLUS was offered.
        var offered = AuthSettings.Mechanisms.Select(name => OfferedFactory(auth, name, context, out _)?.Name).OfType<string>().ToList();
        return context with { OfferedMechanisms = offered };
    }

    /// <summary>
    /// The user a client certificate maps to for EXTERNAL: only a certificate that verified
    /// (verify=OK), bound to an enabled user. Looked up once per TLS session.
    /// </summary>
    private async ValueTask<string?> ExternalIdentityAsync(AuthServices auth, CancellationToken cancellationToken)
    {
        if (_state.ExternalLookedUp)
        {
            return _state.ExternalIdentity;
        }
        var identity = _state.ExternalIdentity;
        if (_state.Facts.Tls?.Peer is { IsOk: true, Certificate: { } certificate } peer)
        {
            if (auth.CertificateIdentities is { } identities)
            {
                identity = await identities.IdentityOfAsync(peer, cancellationToken);
            }
            else
            {
                var user = await auth.Users.FindByCertificateAsync(certificate.FingerprintSha256, cancellationToken);
                identity = user is { Disabled: false } ? user.Name : null;
            }
        }
        _state.ExternalIdentityFound(identity, final: _state.Facts.IsTls);
        return identity;
    }

    /// <summary>The address the client connected to, as it would write it (IPv4 seen on an IPv6 socket as IPv4).</summary>
    private string LocalAddressLiteral()
    {
        var address = _state.Facts.Local.Address;
        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    /// <summary>
    /// MAIL's AUTH= (RFC 4954 section 5), decoded. With auth.auth_param_only_when_authenticated (the
    /// default) only the session's own trusted authentication vouches for it: &lt;&gt; without one,
    /// the authenticated identity when the client gave none, the client's value only when it is that identity.
    /// </summary>
    private string? AuthParameterFor(string? supplied)
    {
        var vouched = _state.Authentication is { Trusted: true } authentication ? authentication.Identity.AuthorizationId : null;
        if (!AuthSettings.AuthParamOnlyWhenAuthenticated)
        {
            return supplied ?? vouched;
        }
        if (vouched is null)
        {
            return supplied is null ? null : "<>";
        }
        return supplied is null || string.Equals(supplied, vouched, StringComparison.OrdinalIgnoreCase) ? vouched : "<>";
    }

    private string LogRelay => (_state.Facts.HeloName is null ? "" : _state.Facts.HeloName + " ") + _relay;
}
