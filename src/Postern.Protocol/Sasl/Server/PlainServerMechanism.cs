namespace Postern.Protocol.Sasl.Server;

/// <summary>RFC 4616 PLAIN: <c>[authzid] NUL authcid NUL passwd</c> in one response.</summary>
internal sealed class PlainServerMechanism(SaslServerContext context, SaslServerSettings settings) : ISaslServerMechanism
{
    public const string MechanismName = "PLAIN";

    private bool _challenged;
    private bool _done;

    public string Name => MechanismName;

    public async ValueTask<SaslStep> StepAsync(ReadOnlyMemory<byte>? response, CancellationToken cancellationToken)
    {
        if (_done)
        {
            return SaslOutcomes.AlreadyComplete(Name);
        }
        if (response is null && !_challenged)
        {
            // No initial response: an empty challenge asks for it (RFC 4954 section 4).
            _challenged = true;
            return SaslStep.Continue(ReadOnlyMemory<byte>.Empty);
        }
        _done = true;
        var bytes = response ?? ReadOnlyMemory<byte>.Empty;
        if (!TryParse(bytes.Span, out var authorizationId, out var authenticationId, out var password, out var problem))
        {
            return SaslOutcomes.Malformed(Name, problem);
        }
        return await PasswordCheck.VerifyAsync(Name, context, settings, authenticationId, password, authorizationId, cancellationToken).ConfigureAwait(false);
    }

    internal static bool TryParse(ReadOnlySpan<byte> message, out string authorizationId, out string authenticationId, out string password, out string problem)
    {
        authorizationId = authenticationId = password = string.Empty;
        if (message.Length > SaslLimits.MaxResponseBytes)
        {
            problem = "response too long";
            return false;
        }
        var first = message.IndexOf((byte)0);
        var second = first < 0 ? -1 : message[(first + 1)..].IndexOf((byte)0);
        if (first < 0 || second < 0 || message[(first + 1 + second + 1)..].Contains((byte)0))
        {
            problem = "expected authzid NUL authcid NUL password";
            return false;
        }
        second += first + 1;
        if (!SaslText.TryDecode(message[..first], out authorizationId)
            || !SaslText.TryDecode(message[(first + 1)..second], out authenticationId)
            || !SaslText.TryDecode(message[(second + 1)..], out password))
        {
            problem = "not UTF-8";
            return false;
        }
        if (authenticationId.Length == 0 || password.Length == 0)
        {
            problem = "empty authcid or password";
            return false;
        }
        if (authenticationId.Length > SaslLimits.MaxIdentityLength || authorizationId.Length > SaslLimits.MaxIdentityLength)
        {
            problem = "identity too long";
            return false;
        }
        problem = string.Empty;
        return true;
    }
}
