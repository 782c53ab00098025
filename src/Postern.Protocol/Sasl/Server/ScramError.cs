namespace Postern.Protocol.Sasl.Server;

/// <summary>The RFC 5802 section 7 server-error-values Postern can meet, with the failure each maps to.</summary>
internal static class ScramError
{
    public static SaslStep Fail(string mechanism, string errorValue, string? attemptedUser = null) =>
        SaslStep.Fail(Reason(errorValue), $"{mechanism}: e={errorValue}", attemptedUser);

    public static SaslFailureReason Reason(string errorValue) => errorValue switch
    {
        "invalid-proof" or "unknown-user" => SaslFailureReason.BadCredentials,
        "channel-bindings-dont-match" or "server-does-support-channel-binding" or "channel-binding-not-supported"
            or "unsupported-channel-binding-type" => SaslFailureReason.ChannelBindingMismatch,
        "no-resources" => SaslFailureReason.TemporaryFailure,
        // invalid-encoding, extensions-not-supported, invalid-username-encoding, other-error
        _ => SaslFailureReason.Malformed,
    };
}
