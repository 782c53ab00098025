namespace Postern.Protocol.Sasl.Server;

/// <summary>
/// LOGIN (draft-murchison-sasl-login): "Username:" then "Password:", each answered with the bare
/// value. An initial response is taken as the user name, as Outlook and others send it.
/// </summary>
internal sealed class LoginServerMechanism(SaslServerContext context, SaslServerSettings settings) : ISaslServerMechanism
{
    public const string MechanismName = "LOGIN";

    private static readonly ReadOnlyMemory<byte> UserNamePrompt = "Username:"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> PasswordPrompt = "Password:"u8.ToArray();

    private string? _userName;
    private bool _done;

    public string Name => MechanismName;

    public async ValueTask<SaslStep> StepAsync(ReadOnlyMemory<byte>? response, CancellationToken cancellationToken)
    {
        if (_done)
        {
            return SaslOutcomes.AlreadyComplete(Name);
        }
        if (_userName is null)
        {
            if (response is not { Length: > 0 } name)
            {
                return SaslStep.Continue(UserNamePrompt);
            }
            if (!TryReadValue(name.Span, out _userName, out var problem))
            {
                _done = true;
                return SaslOutcomes.Malformed(Name, "user name " + problem);
            }
            return SaslStep.Continue(PasswordPrompt);
        }
        _done = true;
        if (!TryReadValue((response ?? ReadOnlyMemory<byte>.Empty).Span, out var password, out var passwordProblem))
        {
            return SaslOutcomes.Malformed(Name, "password " + passwordProblem);
        }
        return await PasswordCheck.VerifyAsync(Name, context, settings, _userName, password, null, cancellationToken).ConfigureAwait(false);
    }

    private static bool TryReadValue(ReadOnlySpan<byte> bytes, out string value, out string problem)
    {
        value = string.Empty;
        problem = bytes.IsEmpty ? "is empty"
            : bytes.Length > SaslLimits.MaxIdentityLength ? "is too long"
            : bytes.Contains((byte)0) ? "holds NUL"
            : !SaslText.TryDecode(bytes, out value) ? "is not UTF-8"
            : string.Empty;
        return problem.Length == 0;
    }
}
