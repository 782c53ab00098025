namespace Postern.Protocol.Sasl.Server;

/// <summary>Why an exchange failed; <paramref name="Detail"/> is for the mail log and never holds a secret.</summary>
public sealed record SaslFailure(SaslFailureReason Reason, string Detail)
{
    /// <summary>The authentication identity the client claimed, when the mechanism got that far (for per-user failure limits and the log).</summary>
    public string? AttemptedUser { get; init; }
}
