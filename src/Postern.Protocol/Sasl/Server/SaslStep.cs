namespace Postern.Protocol.Sasl.Server;

/// <summary>One step of a server exchange: send a challenge (334), or finish with success or failure.</summary>
public sealed record SaslStep
{
    private SaslStep(SaslStepKind kind) => Kind = kind;

    public SaslStepKind Kind { get; }

    /// <summary>The challenge to send in a 334 reply (before base64); also the server's final data on success, if any.</summary>
    public ReadOnlyMemory<byte> Challenge { get; private init; }

    /// <summary>Who authenticated, on success.</summary>
    public SaslIdentity? Identity { get; private init; }

    /// <summary>Why it failed, for the reply and the mail log (never a secret).</summary>
    public SaslFailure? Failure { get; private init; }

    public static SaslStep Continue(ReadOnlyMemory<byte> challenge) => new(SaslStepKind.Challenge) { Challenge = challenge };

    /// <summary>Success; <paramref name="finalData"/> (SCRAM's server-final-message) is sent as a 334 the client answers with an empty line.</summary>
    public static SaslStep Succeed(SaslIdentity identity, ReadOnlyMemory<byte> finalData = default) =>
        new(SaslStepKind.Success) { Identity = identity, Challenge = finalData };

    public static SaslStep Fail(SaslFailureReason reason, string detail) =>
        new(SaslStepKind.Failure) { Failure = new SaslFailure(reason, detail) };

    /// <summary>Failure naming the identity the client claimed (see <see cref="SaslFailure.AttemptedUser"/>).</summary>
    public static SaslStep Fail(SaslFailureReason reason, string detail, string? attemptedUser) =>
        new(SaslStepKind.Failure) { Failure = new SaslFailure(reason, detail) { AttemptedUser = attemptedUser } };
}
