namespace Postern.Protocol.Sasl.Server;

/// <summary>
/// RFC 4422 appendix A EXTERNAL: the identity is the one the verified client certificate maps to
/// (<see cref="SaslServerContext.ExternalIdentity"/>); the response is an optional authzid, and
/// one that names someone else is refused.
/// </summary>
internal sealed class ExternalServerMechanism(SaslServerContext context) : ISaslServerMechanism
{
    public const string MechanismName = "EXTERNAL";

    private bool _challenged;
    private bool _done;

    public string Name => MechanismName;

    public ValueTask<SaslStep> StepAsync(ReadOnlyMemory<byte>? response, CancellationToken cancellationToken)
    {
        if (_done)
        {
            return ValueTask.FromResult(SaslOutcomes.AlreadyComplete(Name));
        }
        if (response is null && !_challenged)
        {
            _challenged = true;
            return ValueTask.FromResult(SaslStep.Continue(ReadOnlyMemory<byte>.Empty));
        }
        _done = true;
        var bytes = (response ?? ReadOnlyMemory<byte>.Empty).Span;
        if (bytes.Length > SaslLimits.MaxIdentityLength || bytes.Contains((byte)0) || !SaslText.TryDecode(bytes, out var authorizationId))
        {
            return ValueTask.FromResult(SaslOutcomes.Malformed(Name, "authzid is not a UTF-8 identity"));
        }
        if (context.ExternalIdentity is not { Length: > 0 } identity)
        {
            // The session should not have offered it; without a mapped, verified certificate there is nobody.
            return ValueTask.FromResult(SaslOutcomes.BadCredentials(Name, authorizationId));
        }
        return ValueTask.FromResult(SaslOutcomes.Authorize(Name, identity, authorizationId));
    }
}
