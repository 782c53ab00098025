using System.Text;
using Postern.Protocol.Sasl.Server;

namespace Postern.Tests.Server.Auth;

/// <summary>
/// Small stand-ins for the real mechanisms, enough to drive the session's side of AUTH:
/// PLAIN (<c>authz\0user\0password</c>), LOGIN (two 334 prompts), a SCRAM-like exchange with one
/// challenge and server-final data, and EXTERNAL (the certificate's mapped user).
/// The user "tempfail" makes the user store fail temporarily.
/// </summary>
internal sealed class FakeMechanismFactory(string name, bool plaintext = false) : ISaslServerMechanismFactory
{
    public string Name { get; } = name;

    public bool IsPlaintext { get; } = plaintext;

    /// <summary>The context of the last exchange, for channel binding checks.</summary>
    public SaslServerContext? LastContext { get; private set; }

    public bool IsAvailable(SaslServerContext context) => Name != "EXTERNAL" || context.ExternalIdentity is not null;

    public ISaslServerMechanism Create(SaslServerContext context)
    {
        LastContext = context;
        return Name switch
        {
            "PLAIN" => new Plain(context),
            "LOGIN" => new Login(context),
            "EXTERNAL" => new External(context),
            _ => new ScramLike(Name, context),
        };
    }

    public static IReadOnlyList<ISaslServerMechanismFactory> Standard() =>
    [
        new FakeMechanismFactory("SCRAM-SHA-256-PLUS"),
        new FakeMechanismFactory("SCRAM-SHA-256"),
        new FakeMechanismFactory("PLAIN", plaintext: true),
        new FakeMechanismFactory("LOGIN", plaintext: true),
        new FakeMechanismFactory("EXTERNAL"),
    ];

    private static async ValueTask<SaslStep> CheckAsync(SaslServerContext context, string authz, string user, string password)
    {
        if (user == "tempfail")
        {
            return SaslStep.Fail(SaslFailureReason.TemporaryFailure, "user store unavailable");
        }
        var record = await context.Users.FindAsync(user, CancellationToken.None);
        if (record?.PasswordHash != password)
        {
            return SaslStep.Fail(SaslFailureReason.BadCredentials, record is null ? "no such user" : "wrong password");
        }
        if (authz.Length > 0 && authz != user)
        {
            return SaslStep.Fail(SaslFailureReason.AuthorizationRefused, "authzid differs");
        }
        return SaslStep.Succeed(new SaslIdentity(user, user));
    }

    private sealed class Plain(SaslServerContext context) : ISaslServerMechanism
    {
        public string Name => "PLAIN";

        public async ValueTask<SaslStep> StepAsync(ReadOnlyMemory<byte>? response, CancellationToken cancellationToken)
        {
            if (response is null)
            {
                return SaslStep.Continue(ReadOnlyMemory<byte>.Empty);
            }
            var parts = Encoding.UTF8.GetString(response.Value.Span).Split('\0');
            return parts.Length != 3
                ? SaslStep.Fail(SaslFailureReason.Malformed, "not authzid NUL authcid NUL passwd")
                : await CheckAsync(context, parts[0], parts[1], parts[2]);
        }
    }

    private sealed class Login(SaslServerContext context) : ISaslServerMechanism
    {
        private string? _user;

        public string Name => "LOGIN";

        public async ValueTask<SaslStep> StepAsync(ReadOnlyMemory<byte>? response, CancellationToken cancellationToken)
        {
            if (_user is null && response is not { Length: > 0 })
            {
                _user = "";
                return SaslStep.Continue("Username:"u8.ToArray());
            }
            if (_user is null or "")
            {
                _user = Encoding.UTF8.GetString(response!.Value.Span);
                return SaslStep.Continue("Password:"u8.ToArray());
            }
            return await CheckAsync(context, "", _user, Encoding.UTF8.GetString(response!.Value.Span));
        }
    }

    /// <summary>Client "hello", server "challenge", client "user:password", server final "v=final".</summary>
    private sealed class ScramLike(string name, SaslServerContext context) : ISaslServerMechanism
    {
        private bool _greeted;

        public string Name { get; } = name;

        public async ValueTask<SaslStep> StepAsync(ReadOnlyMemory<byte>? response, CancellationToken cancellationToken)
        {
            var text = response is { } r ? Encoding.UTF8.GetString(r.Span) : "";
            if (!_greeted)
            {
                _greeted = true;
                return text == "hello" ? SaslStep.Continue("challenge"u8.ToArray()) : SaslStep.Fail(SaslFailureReason.Malformed, "no client-first");
            }
            var parts = text.Split(':');
            if (parts.Length != 2)
            {
                return SaslStep.Fail(SaslFailureReason.Malformed, "no proof");
            }
            var step = await CheckAsync(context, "", parts[0], parts[1]);
            return step.Kind == SaslStepKind.Success ? SaslStep.Succeed(step.Identity!, "v=final"u8.ToArray()) : step;
        }
    }

    private sealed class External(SaslServerContext context) : ISaslServerMechanism
    {
        public string Name => "EXTERNAL";

        public ValueTask<SaslStep> StepAsync(ReadOnlyMemory<byte>? response, CancellationToken cancellationToken)
        {
            var authz = response is { } r ? Encoding.UTF8.GetString(r.Span) : "";
            return ValueTask.FromResult(context.ExternalIdentity is not { } user || (authz.Length > 0 && authz != user)
                ? SaslStep.Fail(SaslFailureReason.AuthorizationRefused, "no mapped certificate")
                : SaslStep.Succeed(new SaslIdentity(user, user)));
        }
    }
}
